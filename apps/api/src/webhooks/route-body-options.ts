import { parse as parseQuerystring } from 'node:querystring';
import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest, RawServerDefault } from 'fastify';

/**
 * Per-route body options, set on a handler with `@RouteConfig({...})` from
 * `@nestjs/platform-fastify` and applied by {@link applyRouteBodyOptions}:
 * - `bodyLimit` (bytes) replaces the app-wide limit for that route only; a larger body is answered
 *   `413` by Fastify before it is read (from `Content-Length`) or as soon as it grows past it.
 * - `unparsedBody: true` hands the handler the JSON or form body as the exact `Buffer` received,
 *   unparsed, so it can verify a signature over those bytes before parsing anything.
 */
export interface RouteBodyOptions {
  bodyLimit?: number;
  unparsedBody?: boolean;
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Installs the JSON and form parsers and the `onRoute` hook that honour {@link RouteBodyOptions}.
 * Call on the app before `init()`/`listen()` (routes are registered then). Routes without these
 * options keep the defaults: the app-wide body limit and the same JSON and form parsing as Nest's
 * own parsers (prototype poisoning refused with 400).
 */
export function applyRouteBodyOptions(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    const bodyLimit = (route.config as RouteBodyOptions | undefined)?.bodyLimit;
    if (typeof bodyLimit === 'number') route.bodyLimit = bodyLimit;
  });
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  app.useBodyParser<RawServerDefault>(JSON_TYPE, {}, (request, body, done) => {
    if (wantsUnparsedBody(request)) return done(null, body);
    parseJson(request, body as unknown as string, done);
  });
  app.useBodyParser<RawServerDefault>(FORM_TYPE, {}, (request, body, done) => {
    if (wantsUnparsedBody(request)) return done(null, body);
    const parsed = parseQuerystring(body.toString('utf8'));
    if (Object.hasOwn(parsed, '__proto__')) {
      return done(new BadRequestException('Object contains forbidden prototype property'), undefined);
    }
    done(null, parsed);
  });
}

function wantsUnparsedBody(request: FastifyRequest): boolean {
  return (request.routeOptions.config as RouteBodyOptions | undefined)?.unparsedBody === true;
}
