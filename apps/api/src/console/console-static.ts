import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CambrianConfig } from '#libs/config';

/** Where the console is served (README, "Console"); its client routes live below it. */
export const CONSOLE_PATH = '/console';

/**
 * Content-Security-Policy of the console's pages and assets: its own scripts only (Vite emits no inline
 * script), Ant Design's CSS-in-JS `<style>` elements (hence 'unsafe-inline' for styles), GraphQL and
 * sign-out on the same origin, its own images and fonts. No framing, no `<base>`.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; script-src 'self'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; manifest-src 'self'";

/** True when `CONSOLE_DIR` holds a built console (its `index.html`). */
export function consoleBuilt(config: Pick<CambrianConfig, 'CONSOLE_DIR'>): boolean {
  return existsSync(join(resolve(config.CONSOLE_DIR), 'index.html'));
}

function notBuilt(reply: FastifyReply, dir: string): FastifyReply {
  return reply.code(503).type('text/plain; charset=utf-8').header('retry-after', '60').send(
    `The console is not built: ${dir} holds no index.html. Build it with \`npm run build\` (or \`npm run build:console\`), ` +
      'which runs `vite build` for apps/console, then reload this page.\n',
  );
}

/**
 * The file below `dir` that the console path `rest` (what follows `/console/`, URL-decoded) names, or
 * null when it names none: a directory, a missing file, a dotfile, or a path that leaves `dir` (`..`,
 * an absolute path, a NUL byte).
 */
function builtFile(dir: string, rest: string): string | null {
  if (rest === '' || rest.includes('\0')) return null;
  const file = resolve(dir, rest);
  const inside = relative(dir, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).some((part) => part.startsWith('.'))) return null;
  try {
    return statSync(file).isFile() ? inside : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built console (`CONSOLE_DIR`) at `/console` with `@fastify/static`: each file as the build's
 * pre-compressed `<file>.br` or `<file>.gz` when the request's Accept-Encoding takes brotli or gzip and the
 * build wrote one (`Content-Encoding` set, `Vary: accept-encoding`), else as it is; nothing is compressed
 * per request, and nothing outside `/console` (GraphQL, webhooks) is touched. Hashed assets under
 * `/console/assets/` cached for a year (immutable), other files of the build not cached, every other
 * path below `/console/` answered with `index.html` (not cached; a missing file under `/console/assets/`
 * is a 404), so that the console's client routes survive a reload; `/console` redirects to `/console/`.
 * Every answer below `/console` carries {@link CONSOLE_CONTENT_SECURITY_POLICY}. Files are looked up on
 * disk at each request, so a console built or rebuilt while the api runs is served as it is; while no
 * console is built, `/console` and below answer 503 (text) saying how to build it. Call before
 * `init()`/`listen()`, after the HTTP protections (helmet sets the default policy this one replaces).
 */
export async function serveConsole(app: NestFastifyApplication, config: Pick<CambrianConfig, 'CONSOLE_DIR'>): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const dir = resolve(config.CONSOLE_DIR);
  const assets = `${join(dir, 'assets')}${sep}`;
  fastify.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url;
    if (url === CONSOLE_PATH || url?.startsWith(`${CONSOLE_PATH}/`)) void reply.header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);
    return payload;
  });
  // only reply.sendFile (no routes of its own): the routes below look each file up when asked
  await app.register(fastifyStatic, {
    root: dir,
    serve: false,
    suppressWarning: true,
    // `<file>.br` / `<file>.gz` written beside each file by the build (vite-plugin-compression2), chosen by
    // Accept-Encoding (brotli first), with `Vary: accept-encoding`; the file itself otherwise
    preCompressed: true,
    setHeaders: (reply, path) => {
      void reply.header('cache-control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const rest = (request: FastifyRequest) => (request.params as Record<string, string | undefined>)['*'] ?? '';
  const page = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', dir);
  fastify.get(CONSOLE_PATH, (_request, reply) => (consoleBuilt(config) ? reply.redirect(`${CONSOLE_PATH}/`, 301) : notBuilt(reply, dir)));
  fastify.get(`${CONSOLE_PATH}/`, (_request, reply) => (consoleBuilt(config) ? page(reply) : notBuilt(reply, dir)));
  // a missing asset is a 404, not the page (a stale tab asking for the previous build's chunks)
  fastify.get(`${CONSOLE_PATH}/assets/*`, (request, reply) => {
    if (!consoleBuilt(config)) return notBuilt(reply, dir);
    const file = builtFile(dir, join('assets', rest(request)));
    if (file === null || !join(dir, file).startsWith(assets)) {
      return reply.code(404).type('text/plain; charset=utf-8').send('No such console asset; reload the console.\n');
    }
    return reply.sendFile(file, dir);
  });
  fastify.get(`${CONSOLE_PATH}/*`, (request, reply) => {
    if (!consoleBuilt(config)) return notBuilt(reply, dir);
    const file = builtFile(dir, rest(request));
    return file === null ? page(reply) : reply.sendFile(file, dir);
  });
}
