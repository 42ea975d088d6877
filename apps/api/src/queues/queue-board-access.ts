import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAdminViewer, parseBearerHeader, type ApiTokenService, type SessionService, type Viewer } from '#libs/auth';
import { SESSION_COOKIE } from '../auth/auth-cookies.js';

/** Methods that only read (the dashboard's page, assets and polling); any other method changes a queue or a job. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/** Why a request to the queue dashboard is refused: HTTP status and a message for people. */
export interface QueueBoardRefusal {
  status: 401 | 403;
  message: string;
}

/** The credential checks the dashboard's guard needs. */
export interface QueueBoardCredentials {
  tokens: Pick<ApiTokenService, 'check'>;
  sessions: Pick<SessionService, 'check'>;
}

const SIGN_IN = 'sign in to the console as an admin (/console/) or send "Authorization: Bearer <admin API token>"';

/**
 * Decides whether a request may use the queue dashboard: only an admin — an admin API token
 * (`Authorization: Bearer`) or an admin's sign-in session (the session cookie), as for GraphQL.
 * - no credentials, or a malformed header, an unknown, expired or revoked token or session → 401;
 * - a signed-in member who is not an admin → 403;
 * - a change (any method but GET/HEAD): a token needs the `write` scope (403 otherwise); a session
 *   needs an `Origin` header naming this very host (403 otherwise), since the dashboard's own
 *   requests carry no CSRF token and the session cookie would ride along a cross-site form.
 * @returns null when allowed, else the refusal.
 */
export async function queueBoardRefusal(
  request: Pick<FastifyRequest, 'method' | 'headers' | 'cookies'>,
  credentials: QueueBoardCredentials,
): Promise<QueueBoardRefusal | null> {
  const bearer = parseBearerHeader(request.headers.authorization);
  if (bearer.kind === 'malformed') return { status: 401, message: `Invalid Authorization header: ${bearer.reason}` };
  const changes = !READ_METHODS.has(request.method.toUpperCase());
  let viewer: Viewer;
  if (bearer.kind === 'bearer') {
    const check = await credentials.tokens.check(bearer.token);
    if (check.kind === 'refused') return { status: 401, message: `The API token is ${check.reason}` };
    viewer = { tokenId: check.token.id, role: check.token.role, scopes: check.token.scopes };
    if (isAdminViewer(viewer) && changes && !check.token.scopes.includes('write')) {
      return { status: 403, message: 'This API token lacks the "write" scope needed to change queues or jobs' };
    }
  } else {
    const secret = request.cookies?.[SESSION_COOKIE];
    if (!secret) return { status: 401, message: `The queue dashboard is for admins: ${SIGN_IN}` };
    const check = await credentials.sessions.check(secret);
    if (check.kind === 'refused') return { status: 401, message: `The sign-in session is ${check.reason}: ${SIGN_IN}` };
    viewer = { tokenId: null, role: check.session.role, sessionId: check.session.id, memberId: check.session.memberId };
    if (isAdminViewer(viewer) && changes && !sameOrigin(request.headers)) {
      return { status: 403, message: 'A change to queues or jobs must come from the dashboard itself (same-origin Origin header)' };
    }
  }
  if (!isAdminViewer(viewer)) return { status: 403, message: 'The queue dashboard needs the admin role' };
  return null;
}

/** True when the `Origin` header names the host the request was sent to (`Host`). */
function sameOrigin(headers: FastifyRequest['headers']): boolean {
  const origin = headers.origin;
  const host = headers.host;
  if (typeof origin !== 'string' || typeof host !== 'string') return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Answers a refusal as plain text (the dashboard is a page people open). */
export function sendRefusal(reply: FastifyReply, refusal: QueueBoardRefusal): FastifyReply {
  return reply.code(refusal.status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(`${refusal.message}\n`);
}
