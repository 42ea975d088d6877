import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type autocannon from 'autocannon';

/** The comment id in the template, replaced per request so every body (and signature) differs. */
const ID_MARKER = 987654321987;

/**
 * A realistic `issue_comment` `created` delivery body: the example payload of
 * `@octokit/webhooks-examples` (real shape, about 12 KB compact JSON as GitHub sends it), split
 * around the comment id so each request carries a fresh id.
 */
export function issueCommentTemplate(): { prefix: string; suffix: string; bytes: number } {
  const require = createRequire(import.meta.url);
  const definitions: Array<{ name: string; examples: Array<{ action?: string; comment?: { id: number } }> }> =
    require('@octokit/webhooks-examples');
  const payload = structuredClone(definitions.find((d) => d.name === 'issue_comment')!.examples.find((x) => x.action === 'created')!);
  payload.comment!.id = ID_MARKER;
  const json = JSON.stringify(payload);
  const [prefix, suffix] = json.split(String(ID_MARKER));
  return { prefix, suffix, bytes: Buffer.byteLength(json) };
}

/** Delivery ids that were answered 2xx, collected across runs. */
export type AcknowledgedIds = string[];

/**
 * autocannon `requests` that send signed, unique deliveries: each request gets a fresh
 * `X-GitHub-Delivery` GUID, a fresh comment id in the body and the `X-Hub-Signature-256` of that
 * body under `secret`. Delivery ids answered 2xx are pushed to `acknowledged`.
 */
export function signedDeliveryRequests(secret: string, acknowledged: AcknowledgedIds): autocannon.Request[] {
  const template = issueCommentTemplate();
  let sequence = 0;
  return [
    {
      method: 'POST',
      path: '/webhooks/github',
      setupRequest: (request, context) => {
        const delivery = randomUUID();
        const body = `${template.prefix}${++sequence}${template.suffix}`;
        (context as { delivery?: string }).delivery = delivery;
        return {
          ...request,
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/bench',
            'x-github-event': 'issue_comment',
            'x-github-delivery': delivery,
            'x-github-hook-id': '1',
            'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
          },
        };
      },
      onResponse: (status, _body, context) => {
        const delivery = (context as { delivery?: string }).delivery;
        if (status >= 200 && status < 300 && delivery) acknowledged.push(delivery);
      },
    },
  ];
}

/** One `issue_comment` `created` body, split around its comment id (see {@link issueCommentVariants}). */
export interface CommentTemplate {
  prefix: string;
  suffix: string;
}

/**
 * `count` variants of the `issue_comment` `created` example, as a busy installation sends them:
 * comments spread over 20 repositories, `count` issues and 97 commenters (ids, names, logins and
 * URLs changed together), each split around its comment id so that every request carries a fresh
 * one. Deliveries of one variant touch the same repository, issue and account rows; variants
 * differ, so the rows the worker upserts are not all the same few.
 */
export function issueCommentVariants(count: number): CommentTemplate[] {
  const require = createRequire(import.meta.url);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the examples' payloads are untyped JSON
  const definitions: Array<{ name: string; examples: Array<Record<string, any>> }> = require('@octokit/webhooks-examples');
  const example = definitions.find((d) => d.name === 'issue_comment')!.examples.find((x) => x.action === 'created')!;
  return Array.from({ length: count }, (_, variant) => {
    const payload = structuredClone(example);
    const repo = variant % 20;
    const user = variant % 97;
    payload.repository.id = 700_000_000 + repo;
    payload.repository.node_id = `R_soak_${repo}`;
    payload.repository.name = `model-${repo}`;
    payload.repository.full_name = `${payload.repository.owner.login}/model-${repo}`;
    payload.issue.id = 800_000_000 + variant;
    payload.issue.node_id = `I_soak_${variant}`;
    payload.issue.number = 1000 + variant;
    payload.comment.user = { ...payload.comment.user, id: 900_000_000 + user, login: `soak-commenter-${user}`, node_id: `U_soak_${user}` };
    payload.comment.id = ID_MARKER;
    const [prefix, suffix] = JSON.stringify(payload).split(String(ID_MARKER));
    return { prefix, suffix };
  });
}
