import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { currentRequestContext } from '#libs/observability';
import { ANONYMOUS_VIEWER, ApiTokenService, parseBearerHeader, type Viewer } from '#libs/auth';
import { LoadersFactory, type Loaders } from './loaders.js';

/** The context of one GraphQL request. */
export interface GqlContext {
  req: FastifyRequest;
  /** The request id (`x-request-id`, see libs/observability), quoted in logs of errors and in INTERNAL_SERVER_ERROR answers. */
  requestId: string;
  /** Who is asking (anonymous, or the holder of a verified API token). */
  viewer: Viewer;
  /** DataLoaders of this request only. */
  loaders: Loaders;
}

/**
 * Builds each request's context: verifies `Authorization: Bearer <token>` when present and
 * creates fresh DataLoaders. A request without the header is anonymous. A header that is
 * malformed, or a token that is unknown, expired or revoked, fails the whole request with
 * HTTP 401 and `extensions.code: UNAUTHENTICATED` (a silently anonymous answer would hide
 * e-mail addresses without saying why).
 */
@Injectable()
export class GraphqlContextFactory {
  private readonly logger = new Logger('GraphQL');

  constructor(
    private readonly tokens: ApiTokenService,
    private readonly loaders: LoadersFactory,
  ) {}

  async create(req: FastifyRequest): Promise<GqlContext> {
    const viewer = await this.viewerFor(req);
    const requestId = currentRequestContext()?.requestId ?? String(req.id);
    return { req, requestId, viewer, loaders: this.loaders.create(viewer) };
  }

  private async viewerFor(req: FastifyRequest): Promise<Viewer> {
    const credentials = parseBearerHeader(req.headers.authorization);
    if (credentials.kind === 'none') return ANONYMOUS_VIEWER;
    if (credentials.kind === 'malformed') throw unauthenticated(`Invalid Authorization header: ${credentials.reason}`);
    let token;
    try {
      token = await this.tokens.verify(credentials.token);
    } catch (error) {
      const requestId = currentRequestContext()?.requestId ?? String(req.id);
      this.logger.error(`token verification failed (request ${requestId}): ${error instanceof Error ? error.stack : error}`);
      throw new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } });
    }
    if (!token) throw unauthenticated('The API token is unknown, expired or revoked');
    return { tokenId: token.id, role: token.role };
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
