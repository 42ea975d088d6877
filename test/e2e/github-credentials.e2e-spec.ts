import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { GithubCredentialService, signWebhookBody } from '#libs/github';
import { QueueName, redisConnectionOptions } from '#libs/queue';
import { SecretsExceptionCode } from '#libs/secrets';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';
import { GraphqlClient } from './graphql-client.js';

class LogCapture extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text.push(chunk.toString('utf8'));
    callback();
  }
}

/** Random values without a GitHub token prefix, so only redaction by name (not the token pattern) keeps them out of logs. */
const TOKEN = `stored-token-${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `stored-webhook-secret-${randomBytes(12).toString('hex')}`;
const ENV_WEBHOOK_SECRET = 'environment-webhook-secret';
const APP_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** A line of the key's base64 body: what a leak of the key would contain. */
const APP_KEY_LINE = APP_KEY.split('\n')[5];

const CREDENTIALS = `fragment Creds on EcosystemGithubCredentials {
  ecosystem identity { kind appId installationId fingerprint keyId setAt setBy } webhookSecrets { id fingerprint keyId setAt setBy }
}`;
const SET_TOKEN = `mutation SetToken($ecosystem: String!, $token: String!) { setGithubToken(ecosystem: $ecosystem, token: $token) { ...Creds } } ${CREDENTIALS}`;
const SET_APP = `mutation SetApp($ecosystem: String!, $appId: String!, $installationId: String!, $privateKey: String!) {
  setGithubApp(ecosystem: $ecosystem, appId: $appId, installationId: $installationId, privateKey: $privateKey) { ...Creds }
} ${CREDENTIALS}`;
const CLEAR = `mutation Clear($ecosystem: String!) { clearGithubIdentity(ecosystem: $ecosystem) { ...Creds } } ${CREDENTIALS}`;
const ADD_SECRET = `mutation AddSecret($ecosystem: String!, $secret: String!) { addWebhookSecret(ecosystem: $ecosystem, secret: $secret) { ...Creds } } ${CREDENTIALS}`;
const REMOVE_SECRET = `mutation RemoveSecret($ecosystem: String!, $id: ID!) { removeWebhookSecret(ecosystem: $ecosystem, id: $id) { ...Creds } } ${CREDENTIALS}`;
const READ = `query Read($slug: String!) { ecosystem(slug: $slug) { slug githubCredentials { ...Creds } } } ${CREDENTIALS}`;

/** Every form a stored value could leak in: as is, base64, hex. */
const leakForms = (value: string) => [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('hex')];

describe('GitHub credentials stored per ecosystem (GraphQL, rows, logs, webhooks)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let url: string;
  let adminToken: string;
  let readOnlyToken: string;
  const log = new LogCapture();

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ GITHUB_WEBHOOK_SECRETS: ENV_WEBHOOK_SECRET, LOG_LEVEL: 'debug' });
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logDestination: log });
    client = await GraphqlClient.listen(app);
    url = await app.getUrl();
    const tokens = app.get(ApiTokenService, { strict: false });
    adminToken = (await tokens.create({ name: 'e2e admin', role: 'admin' })).secret;
    readOnlyToken = (await tokens.create({ name: 'read only', role: 'admin', scopes: ['read'] })).secret;
    await db.query(`INSERT INTO ecosystem (slug, name) VALUES ('rwkv', 'RWKV'), ('other', 'Other')`);
  });

  afterAll(async () => {
    await app?.close();
    const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    await queue.obliterate({ force: true });
    await queue.close();
    await db?.end();
    await env?.teardown();
  });

  const rowsText = async () => (await db.query(`SELECT row_to_json(c)::text AS text, encode(sealed, 'escape') AS raw FROM github_credential c`)).rows;

  it.each([
    ['setGithubToken', SET_TOKEN, { ecosystem: 'rwkv', token: TOKEN }],
    ['setGithubApp', SET_APP, { ecosystem: 'rwkv', appId: '12', installationId: '34', privateKey: APP_KEY }],
    ['clearGithubIdentity', CLEAR, { ecosystem: 'rwkv' }],
    ['addWebhookSecret', ADD_SECRET, { ecosystem: 'rwkv', secret: WEBHOOK_SECRET }],
    ['removeWebhookSecret', REMOVE_SECRET, { ecosystem: 'rwkv', id: randomUUID() }],
  ])('refuses %s without an admin token (UNAUTHENTICATED) and stores nothing', async (field, mutation, variables) => {
    const response = await client.request(mutation, variables);
    expect(response.errors).toEqual([expect.objectContaining({ path: [field], extensions: { code: 'UNAUTHENTICATED' } })]);
    const readOnly = await client.request(mutation, variables, { token: readOnlyToken });
    expect(readOnly.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify([response, readOnly])).not.toContain(TOKEN);
    expect(await rowsText()).toEqual([]);
  });

  it('refuses Ecosystem.githubCredentials to anonymous callers', async () => {
    const response = await client.request(READ, { slug: 'rwkv' });
    expect(response.errors?.[0]).toMatchObject({ path: ['ecosystem', 'githubCredentials'], extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('stores a token write-only: the answer and the query show kind, fingerprint, set_at/set_by, never the value; the row holds no plaintext', async () => {
    const response = await client.request(SET_TOKEN, { ecosystem: 'rwkv', token: TOKEN }, { token: adminToken });
    expect(response.errors).toBeUndefined();
    const identity = response.data.setGithubToken.identity;
    expect(identity).toMatchObject({ kind: 'TOKEN', appId: null, installationId: null, fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/), keyId: expect.stringMatching(/^k[0-9a-f]{8}$/) });
    expect(identity.setBy).toMatch(/^api-token:/);
    expect(Date.parse(identity.setAt)).not.toBeNaN();
    const read = await client.request(READ, { slug: 'rwkv' }, { token: adminToken });
    expect(read.data.ecosystem.githubCredentials.identity).toEqual(identity);
    for (const form of leakForms(TOKEN)) {
      expect(JSON.stringify([response, read])).not.toContain(form);
      for (const row of await rowsText()) {
        expect(row.text).not.toContain(form);
        expect(row.raw).not.toContain(form);
      }
    }
    // the application still reads it
    const ecosystemId = (await db.query(`SELECT id FROM ecosystem WHERE slug = 'rwkv'`)).rows[0].id;
    expect(await app.get(GithubCredentialService, { strict: false }).identityFor(ecosystemId)).toMatchObject({ kind: 'token', token: TOKEN });
  });

  it('stores a GitHub App (ids in clear, key sealed), replacing the token, and clears it', async () => {
    const set = await client.data(SET_APP, { ecosystem: 'rwkv', appId: '12', installationId: '3400000000', privateKey: APP_KEY.replace(/\n/g, '\\n') }, { token: adminToken });
    expect(set.setGithubApp.identity).toMatchObject({ kind: 'APP', appId: '12', installationId: '3400000000' });
    const rows = await rowsText();
    expect(rows).toHaveLength(1);
    for (const form of [...leakForms(APP_KEY_LINE), 'PRIVATE KEY']) {
      expect(rows[0].text).not.toContain(form);
      expect(rows[0].raw).not.toContain(form);
      expect(JSON.stringify(set)).not.toContain(form);
    }
    const cleared = await client.data(CLEAR, { ecosystem: 'rwkv' }, { token: adminToken });
    expect(cleared.clearGithubIdentity.identity).toBeNull();
    expect(await rowsText()).toEqual([]);
  });

  it('refuses bad values with BAD_USER_INPUT naming the problem, never echoing the value', async () => {
    const spaced = await client.request(SET_TOKEN, { ecosystem: 'rwkv', token: `${TOKEN} tail` }, { token: adminToken });
    expect(spaced.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(`position ${TOKEN.length + 1}`) });
    const notPem = await client.request(SET_APP, { ecosystem: 'rwkv', appId: '12', installationId: '34', privateKey: TOKEN }, { token: adminToken });
    expect(notPem.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/privateKey is not a PEM private key/) });
    const badId = await client.request(SET_APP, { ecosystem: 'rwkv', appId: TOKEN, installationId: '34', privateKey: APP_KEY }, { token: adminToken });
    expect(badId.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/appId must be a positive integer/) });
    const unknown = await client.request(SET_TOKEN, { ecosystem: 'nope', token: TOKEN }, { token: adminToken });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify([spaced, notPem, badId, unknown])).not.toContain(TOKEN);
    expect(JSON.stringify([notPem, badId])).not.toContain(APP_KEY_LINE);
    expect(await rowsText()).toEqual([]);
  });

  it('refuses a token copied to another ecosystem\'s row, and an altered one, naming the row and never the value', async () => {
    await client.data(SET_TOKEN, { ecosystem: 'rwkv', token: TOKEN }, { token: adminToken });
    await client.data(SET_TOKEN, { ecosystem: 'other', token: 'the-other-ecosystem-token' }, { token: adminToken });
    const ids = Object.fromEntries((await db.query(`SELECT slug, id FROM ecosystem`)).rows.map((row) => [row.slug, row.id]));
    // copy rwkv's sealed token onto other's row
    await db.query(
      `UPDATE github_credential t SET sealed = s.sealed, key_id = s.key_id FROM github_credential s WHERE s.ecosystem_id = $1 AND t.ecosystem_id = $2`,
      [ids.rwkv, ids.other],
    );
    const credentials = app.get(GithubCredentialService, { strict: false });
    const moved = await credentials.identityFor(ids.other).catch((error: unknown) => error);
    expect(moved).toMatchObject({ code: SecretsExceptionCode.DECRYPT_FAILED, message: expect.stringContaining(`the GitHub token of ecosystem ${ids.other} could not be decrypted`) });
    expect((moved as Error).message).not.toContain(TOKEN);
    // a row whose id changed (its binding) is refused too
    await db.query(`UPDATE github_credential SET id = gen_random_uuid() WHERE ecosystem_id = $1`, [ids.rwkv]);
    await expect(credentials.identityFor(ids.rwkv)).rejects.toMatchObject({ code: SecretsExceptionCode.DECRYPT_FAILED });
    // a fresh row (never opened, so nothing cached) with one ciphertext byte flipped
    await client.data(SET_TOKEN, { ecosystem: 'rwkv', token: TOKEN }, { token: adminToken });
    await db.query(
      `UPDATE github_credential SET sealed = overlay(sealed PLACING decode(lpad(to_hex(get_byte(sealed, 20) # 1), 2, '0'), 'hex') FROM 21 FOR 1) WHERE ecosystem_id = $1`,
      [ids.rwkv],
    );
    const tampered = await credentials.identityFor(ids.rwkv).catch((error: unknown) => error);
    expect(tampered).toMatchObject({ code: SecretsExceptionCode.DECRYPT_FAILED, message: expect.stringMatching(/authentication failed/) });
    expect((tampered as Error).message).not.toContain(TOKEN);
    await client.data(CLEAR, { ecosystem: 'rwkv' }, { token: adminToken });
    await client.data(CLEAR, { ecosystem: 'other' }, { token: adminToken });
  });

  const postPing = (secret: string) => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 7 });
    return fetch(`${url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': randomUUID(),
        'x-github-hook-id': '7',
        'x-hub-signature-256': signWebhookBody(body, secret),
      },
      body,
    });
  };

  it('accepts a delivery signed with a stored webhook secret, and the environment\'s; refuses an unknown secret and a removed one', async () => {
    expect((await postPing(WEBHOOK_SECRET)).status).toBe(401);
    const added = await client.data(ADD_SECRET, { ecosystem: 'rwkv', secret: WEBHOOK_SECRET }, { token: adminToken });
    const [stored] = added.addWebhookSecret.webhookSecrets;
    expect(stored).toMatchObject({ id: expect.any(String), fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(JSON.stringify(added)).not.toContain(WEBHOOK_SECRET);
    for (const row of await rowsText()) for (const form of leakForms(WEBHOOK_SECRET)) expect(`${row.text}${row.raw}`).not.toContain(form);

    expect((await postPing(WEBHOOK_SECRET)).status).toBe(202);
    expect((await postPing(ENV_WEBHOOK_SECRET)).status).toBe(202);
    expect((await postPing('a-secret-nobody-stored')).status).toBe(401);

    const again = await client.request(ADD_SECRET, { ecosystem: 'rwkv', secret: WEBHOOK_SECRET }, { token: adminToken });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringContaining(`(id ${stored.id})`) });

    const removed = await client.data(REMOVE_SECRET, { ecosystem: 'rwkv', id: stored.id }, { token: adminToken });
    expect(removed.removeWebhookSecret.webhookSecrets).toEqual([]);
    expect((await postPing(WEBHOOK_SECRET)).status).toBe(401);
    const unknown = await client.request(REMOVE_SECRET, { ecosystem: 'rwkv', id: stored.id }, { token: adminToken });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('wrote none of the values to the log of these requests', async () => {
    const text = log.text.join('');
    expect(text).toContain('request completed'); // the log was written
    for (const value of [TOKEN, WEBHOOK_SECRET, APP_KEY_LINE, 'the-other-ecosystem-token']) {
      for (const form of leakForms(value)) expect(text).not.toContain(form);
    }
  });
});
