import type { ApiTokenCheck, SessionCheck } from '#libs/auth';
import { SESSION_COOKIE } from '../auth/auth-cookies.js';
import { queueBoardRefusal, type QueueBoardCredentials } from './queue-board-access.js';

const ADMIN_TOKEN = 'cmb_admin';
const READ_TOKEN = 'cmb_reader';
const ADMIN_SESSION = 'cms_admin';
const MEMBER_SESSION = 'cms_member';

/** Token and session checks that know two tokens and two sessions; every other secret is unknown. */
const credentials: QueueBoardCredentials = {
  tokens: {
    check: async (secret: string): Promise<ApiTokenCheck> => {
      if (secret !== ADMIN_TOKEN && secret !== READ_TOKEN) return { kind: 'refused', reason: secret === 'cmb_old' ? 'revoked' : 'unknown' };
      const scopes = secret === ADMIN_TOKEN ? (['read', 'write'] as const) : (['read'] as const);
      return { kind: 'valid', token: { id: secret, role: 'admin', scopes: [...scopes] } } as unknown as ApiTokenCheck;
    },
  },
  sessions: {
    check: async (secret: string): Promise<SessionCheck> => {
      if (secret !== ADMIN_SESSION && secret !== MEMBER_SESSION) return { kind: 'refused', reason: 'expired' };
      return { kind: 'valid', session: { id: secret, memberId: 'm', role: secret === ADMIN_SESSION ? 'admin' : 'member' } } as unknown as SessionCheck;
    },
  },
};

const HOST = '127.0.0.1:3000';
const request = (method: string, headers: Record<string, string> = {}, session?: string) => ({
  method,
  headers: { host: HOST, ...headers },
  cookies: session ? { [SESSION_COOKIE]: session } : {},
});

describe('who may use the queue dashboard', () => {
  it.each([
    ['anonymous', request('GET'), 401],
    ['a malformed Authorization header', request('GET', { authorization: 'Basic abc' }), 401],
    ['an unknown token', request('GET', { authorization: 'Bearer cmb_nope' }), 401],
    ['a revoked token', request('GET', { authorization: 'Bearer cmb_old' }), 401],
    ['an expired session', request('GET', {}, 'cms_gone'), 401],
    ['a member session', request('GET', {}, MEMBER_SESSION), 403],
    ['a member session changing a queue from the dashboard', request('PUT', { origin: `http://${HOST}` }, MEMBER_SESSION), 403],
    ['a read-only admin token changing a queue', request('PUT', { authorization: `Bearer ${READ_TOKEN}` }), 403],
    ['an admin session changing a queue without Origin', request('PUT', {}, ADMIN_SESSION), 403],
    ['an admin session changing a queue from another site', request('POST', { origin: 'https://evil.example' }, ADMIN_SESSION), 403],
    ['an admin session changing a queue with a malformed Origin', request('PUT', { origin: 'null' }, ADMIN_SESSION), 403],
  ])('refuses %s', async (_who, incoming, status) => {
    expect((await queueBoardRefusal(incoming, credentials))?.status).toBe(status);
  });

  it.each([
    ['an admin token reading', request('GET', { authorization: `Bearer ${ADMIN_TOKEN}` })],
    ['a read-only admin token reading', request('HEAD', { authorization: `Bearer ${READ_TOKEN}` })],
    ['an admin token changing a queue', request('PUT', { authorization: `Bearer ${ADMIN_TOKEN}` })],
    ['an admin session reading', request('GET', {}, ADMIN_SESSION)],
    ['an admin session changing a queue from the dashboard', request('PUT', { origin: `http://${HOST}` }, ADMIN_SESSION)],
    // the header wins over the cookie, as for GraphQL
    ['an admin token beside a member session', request('GET', { authorization: `Bearer ${ADMIN_TOKEN}` }, MEMBER_SESSION)],
  ])('allows %s', async (_who, incoming) => {
    expect(await queueBoardRefusal(incoming, credentials)).toBeNull();
  });
});
