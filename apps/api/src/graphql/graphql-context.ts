import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { currentRequestContext } from '#libs/observability';
import { ANONYMOUS_VIEWER, ApiTokenService, CSRF_HEADER, csrfTokenFor, csrfTokenMatches, parseBearerHeader, SessionService, type Viewer } from '#libs/auth';
import { ViewerAccessFactory, type ViewerAccess } from '#libs/access';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { SESSION_COOKIE } from '../auth/auth-cookies.js';
import { LoadersFactory, type Loaders } from './loaders.js';

/** The context of one GraphQL request. */
export interface GqlContext {
  req: FastifyRequest;
  /** The request id (`x-request-id`, see libs/observability), quoted in logs of errors and in INTERNAL_SERVER_ERROR answers. */
  requestId: string;
  /** Who is asking (anonymous, the holder of a verified API token, or a signed-in person). */
  viewer: Viewer;
  /**
   * False only for a request authenticated by the session cookie without the session's CSRF token in
   * `x-csrf-token`; such a request may read but not run mutations (see `csrfPlugin`).
   */
  csrfVerified: boolean;
  /** The session's CSRF token, for the `viewer` query (sessions only). */
  csrfToken?: string;
  /** DataLoaders of this request only. */
  loaders: Loaders;
  /** The viewer's roles (admin, organiser grants, judge rows, own member), read lazily for this request only. */
  access: ViewerAccess;
}

/**
 * Builds each request's context: verifies `Authorization: Bearer <token>` when present, else the
 * session cookie when present, and creates fresh DataLoaders. A request with neither is anonymous.
 * A header that is malformed, or a token or session that is unknown, expired or revoked, fails the
 * whole request with HTTP 401 and `extensions.code: UNAUTHENTICATED` naming which (a silently
 * anonymous answer would hide e-mail addresses without saying why). Bearer requests are not
 * subject to CSRF (a browser never adds the header by itself).
 */
@Injectable()
export class GraphqlContextFactory {
  private readonly logger = new Logger('GraphQL');

  constructor(
    private readonly tokens: ApiTokenService,
    private readonly loaders: LoadersFactory,
    private readonly sessions: SessionService,
    private readonly access: ViewerAccessFactory,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
  ) {}

  async create(req: FastifyRequest): Promise<GqlContext> {
    const { viewer, csrfVerified, csrfToken } = await this.guarded(req, () => this.viewerFor(req));
    const requestId = currentRequestContext()?.requestId ?? String(req.id);
    return { req, requestId, viewer, csrfVerified, ...(csrfToken ? { csrfToken } : {}), loaders: this.loaders.create(viewer), access: this.access.create(viewer) };
  }

  private async viewerFor(req: FastifyRequest): Promise<{ viewer: Viewer; csrfVerified: boolean; csrfToken?: string }> {
    const credentials = parseBearerHeader(req.headers.authorization);
    if (credentials.kind === 'malformed') throw unauthenticated(`Invalid Authorization header: ${credentials.reason}`);
    if (credentials.kind === 'bearer') {
      const check = await this.tokens.check(credentials.token);
      if (check.kind === 'refused') throw unauthenticated(`The API token is ${check.reason}${check.reason === 'unknown' ? '' : '; create a new one'}`);
      const token = check.token;
      return { viewer: { tokenId: token.id, role: token.role, scopes: token.scopes }, csrfVerified: true };
    }
    const secret = req.cookies?.[SESSION_COOKIE];
    if (!secret) return { viewer: ANONYMOUS_VIEWER, csrfVerified: true };
    const check = await this.sessions.check(secret);
    if (check.kind === 'refused') throw unauthenticated(`The sign-in session is ${check.reason}; sign in again at /auth/github`);
    const { session } = check;
    return {
      viewer: { tokenId: null, role: session.role, sessionId: session.id, memberId: session.memberId, githubLogin: session.githubLogin },
      csrfVerified: csrfTokenMatches(secret, this.config.AUTH_SECRET, req.headers[CSRF_HEADER]),
      csrfToken: csrfTokenFor(secret, this.config.AUTH_SECRET),
    };
  }

  /** Runs a credential check; a failure of the check itself (not a refusal) is logged and answered INTERNAL_SERVER_ERROR. */
  private async guarded<T>(req: FastifyRequest, check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      const requestId = currentRequestContext()?.requestId ?? String(req.id);
      this.logger.error(`credential verification failed (request ${requestId}): ${error instanceof Error ? error.stack : error}`);
      throw new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } });
    }
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
