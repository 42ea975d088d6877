import { Queue } from 'bullmq';
import type { MergeSweepResult } from '#libs/members';
import { JobName, QueueName, redisConnectionOptions } from '#libs/queue';
import { graphqlRequest } from './graphql-client.js';
import { waitForJob } from './wait-for-job.js';

const SUGGESTIONS = `query Suggestions { mergeSuggestions(first: 100) { totalCount edges { node { memberId evidenceKind evidenceJson } } } }`;

interface SuggestionsAnswer {
  mergeSuggestions: { totalCount: number; edges: Array<{ node: { memberId: string; evidenceKind: string; evidenceJson: string } }> };
}

/**
 * Runs the merge sweep once, now, in the worker (a `merge-sweep` job on the `identity` queue, as its
 * scheduler would start it), waits for it, and returns summary lines: merges made on conclusive
 * evidence, suggestions left for an admin, and the three largest (on the RWKV data, among them the
 * maintainer's second address, whose git name is his login).
 * @throws Error when the job fails or does not finish within `timeoutMs`.
 */
export async function runDemoMergeSweep(
  graphqlUrl: string,
  token: string,
  redis: { url: string; prefix: string },
  timeoutMs: number,
): Promise<string[]> {
  const connection = redisConnectionOptions(redis.url);
  const queue = new Queue(QueueName.Identity, { connection, prefix: redis.prefix });
  let result: MergeSweepResult;
  try {
    const job = await queue.add(JobName.MergeSweep, {}, { jobId: `merge-sweep-demo-${Date.now()}`, removeOnComplete: 100, removeOnFail: 100 });
    result = await waitForJob<MergeSweepResult>(queue, job.id!, timeoutMs);
  } finally {
    await queue.close();
  }
  const { mergeSuggestions } = await graphqlRequest<SuggestionsAnswer>(graphqlUrl, SUGGESTIONS, {}, token);
  const largest = mergeSuggestions.edges
    .map(({ node }) => ({ kind: node.evidenceKind, ...(JSON.parse(node.evidenceJson) as { login?: string; commits?: number; repositories?: string[] }) }))
    .filter((suggestion) => suggestion.login && suggestion.commits)
    .sort((a, b) => b.commits! - a.commits!)
    .slice(0, 3);
  const lines = [
    `merge sweep: ${result.merged} merges on conclusive evidence (GitHub's API link, a verified address); ` +
      `${mergeSuggestions.totalCount} suggestions left for an admin (GraphQL mergeSuggestions; names alone never merge anyone)`,
  ];
  for (const suggestion of largest) {
    lines.push(
      `  @${suggestion.login} may also commit under another address: ${suggestion.commits} commits whose git name is the login, ` +
        `in ${suggestion.repositories?.join(', ')} (no API link or verified address: an admin decides with acceptMergeSuggestion)`,
    );
  }
  return lines;
}
