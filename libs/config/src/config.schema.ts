import { z } from 'zod';
import { readGithubApp } from './github-app.js';
import { parseOrigins, parseRateLimitBudget, parseTrustProxy } from './http-protection-config.js';
import { DEVELOPMENT_SECRETS_KEY, secretsKeyProblem } from './secrets-key.js';

const csv = z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part.length > 0));

/** The webhook secret of local runs, tests and the demo; public, so refused in production. */
export const DEVELOPMENT_WEBHOOK_SECRET = 'development-webhook-secret';

/** The sign-in signing key of local runs, tests and the demo; public, so refused in production. */
export const DEVELOPMENT_AUTH_SECRET = 'development-auth-secret-not-for-production';

/** A {@link parseRateLimitBudget} value, its error reported under the variable's name. */
const budget = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, context) => {
      try {
        return parseRateLimitBudget(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/** The secret of digest unsubscribe/preferences tokens in local runs, tests and the demo; public, so refused in production. */
export const DEVELOPMENT_DIGEST_TOKEN_SECRET = 'development-digest-token-secret';

/** `Name <address>` or a bare address, as MAIL_FROM takes it. */
const MAIL_FROM_PATTERN = /^(?:[^<>]*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))$/;

/** The address part of a MAIL_FROM value (`Name <a@b>` or `a@b`), or null when it has none. */
export function mailFromAddress(value: string): string | null {
  const match = MAIL_FROM_PATTERN.exec(value.trim());
  const address = match?.[1] ?? match?.[2];
  return address && z.email().safeParse(address).success ? address : null;
}

/** A five- or six-field cron pattern (BullMQ's `pattern`); checked for shape only. */
const CRON_PATTERN = /^\s*\S+(\s+\S+){4,5}\s*$/;

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL with protocol ${protocols.join(' or ')}`);

/**
 * The environment variables Cambrian reads, with defaults that serve a local run.
 * Every variable is validated at start-up; a malformed one stops the process with a
 * message that names it (see {@link loadConfig}).
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /**
   * Postgres connection string; the database is created if missing. It may not carry the parameter
   * `options`: pg reads a URL's parameters over the connection's own, so that would take the place of
   * the startup options every Cambrian connection sets (`-c cambrian.erasure_key=…`, `-c jit=off`;
   * libs/db/src/erasure-key-session.ts) and each write that hashes an identity would fail.
   */
  DATABASE_URL: url(['postgres:', 'postgresql:'])
    .refine(
      (value) => !URL.canParse(value) || !new URL(value).searchParams.has('options'),
      'must not carry the parameter options: Cambrian sets the startup options of its connections (the erasure hash key), ' +
        'which pg would replace with the URL\'s; set server settings with ALTER ROLE … SET or ALTER DATABASE … SET instead',
    )
    .default('postgres://postgres@127.0.0.1:5432/cambrian'),
  /** Redis connection string used by BullMQ queues and workers. */
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** Prefix of every BullMQ key, so several deployments (or test files) can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}-]+$/, 'letters, digits, _ - { } only').default('cambrian'),
  /** Base URL of the GitHub REST API (api.github.com, GitHub Enterprise, or the bundled simulator). */
  GITHUB_API_URL: url(['http:', 'https:']).default('https://api.github.com'),
  /** Token for the GitHub REST API; empty means anonymous (60 requests per hour on github.com). */
  GITHUB_TOKEN: z.string().default(''),
  /**
   * GitHub App id (GitHub: the App's settings page). With GITHUB_APP_INSTALLATION_ID and a private
   * key, Cambrian authenticates as that installation (tokens refreshed before they expire) instead
   * of GITHUB_TOKEN; the two are mutually exclusive (see {@link githubAppCredentials}).
   */
  GITHUB_APP_ID: z.coerce.number().int().positive().optional(),
  /** The App's private key, PEM (newlines may be written `\n`); or GITHUB_APP_PRIVATE_KEY_FILE. */
  GITHUB_APP_PRIVATE_KEY: z.string().optional(),
  /** Path of a file holding the App's private key (PEM); or GITHUB_APP_PRIVATE_KEY. */
  GITHUB_APP_PRIVATE_KEY_FILE: z.string().optional(),
  /** The installation of the App whose repositories Cambrian reads (GitHub: "Get a repository installation"). */
  GITHUB_APP_INSTALLATION_ID: z.coerce.number().int().positive().optional(),
  /**
   * Comma-separated webhook secrets; several are accepted at once so a secret can be rotated.
   * Outside production it defaults to {@link DEVELOPMENT_WEBHOOK_SECRET}; in production it must be
   * set, to secrets other than that public default (anyone could sign deliveries with it).
   */
  GITHUB_WEBHOOK_SECRETS: csv.default([DEVELOPMENT_WEBHOOK_SECRET]),
  /**
   * Key that encrypts the GitHub credentials stored per ecosystem (AES-256-GCM): 32 random bytes,
   * base64 (`openssl rand -base64 32`). Outside production it defaults to the public
   * {@link DEVELOPMENT_SECRETS_KEY}; in production it must be set before a credential is stored,
   * and processes refuse to start without it while encrypted rows exist (libs/secrets).
   */
  CAMBRIAN_SECRETS_KEY: z.string().optional(),
  /**
   * Comma-separated former values of CAMBRIAN_SECRETS_KEY, accepted for reading only, so the key can
   * be rotated: set the new key, list the old one here, run `cambrian secrets rotate`, then drop it.
   */
  CAMBRIAN_SECRETS_OLD_KEYS: csv.default([]),
  /** Requests in flight per token (GitHub allows 100 concurrent; keep well below). */
  GITHUB_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Milliseconds per second of every GitHub-imposed wait (`retry-after`, rate-limit resets,
   * secondary-limit pauses). 1000 in production; tests scale waits down instead of sleeping minutes.
   */
  GITHUB_WAIT_MS_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(1000),
  /**
   * Longest rate-limit pause (seconds) a sync job waits for while holding its queue lock; a longer
   * pause moves the job back to the queue, delayed until the pause ends.
   */
  GITHUB_MAX_IN_PROCESS_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /**
   * Pacing of a token's primary rate limit (issue 3: spend the budget no faster than it refills):
   * while more than this fraction of the limit remains, requests go out as fast as
   * `GITHUB_MAX_CONCURRENCY` allows; at or below it, every process together sends at most one
   * request per (seconds to `X-RateLimit-Reset`) / (usable remaining), so the budget lasts until the
   * reset. 0 turns pacing off; 1 spreads every window evenly. Default 0.5.
   */
  GITHUB_PACE_BELOW_FRACTION: z.coerce.number().min(0).max(1).default(0.5),
  /**
   * Fraction of a token's primary limit that syncs leave unspent until the reset, for urgent work
   * (e.g. what a webhook delivery needs fetched). Default 0.02 (100 of GitHub's 5,000 per hour).
   */
  GITHUB_RESERVE_FRACTION: z.coerce.number().min(0).max(0.5).default(0.02),
  /**
   * Seconds between scheduled reconciliations: discovery, then a sync of every repository of every
   * ecosystem, re-syncing what webhooks missed (GitHub does not redeliver failed deliveries; issue 3).
   * An unchanged repository costs only `304`s.
   */
  GITHUB_RECONCILE_EVERY_SECONDS: z.coerce.number().int().min(60).default(3600),
  /**
   * Seconds between profile syncs (apps/worker, queue `github-sync`, job `sync-profiles`): members'
   * GitHub profiles are read ("Get a user") for their `company` field, the source of `profile`
   * affiliations (issue 4). Min 60. Default 3600.
   */
  GITHUB_PROFILE_SYNC_EVERY_SECONDS: z.coerce.number().int().min(60).default(3600),
  /**
   * Seconds before a profile fetched (or answered `304`) is asked again. Default 604800 (7 days):
   * a company changes rarely, and each check costs a request (a `304` is free of rate limit but not
   * of time). 0 asks every profile at every run (tests, demos).
   */
  GITHUB_PROFILE_REFRESH_SECONDS: z.coerce.number().int().min(0).default(7 * 24 * 3600),
  /** Most profiles one profile sync run asks for (1–5000; the rest wait for the next run). Default 200. */
  GITHUB_PROFILE_SYNC_BATCH: z.coerce.number().int().min(1).max(5000).default(200),
  /**
   * Seconds between merge sweeps (apps/worker, queue `identity`): merge suggestions are computed and
   * members that conclusive evidence says are one person are merged (issue 4, case I4). Min 10.
   */
  MEMBER_MERGE_SWEEP_EVERY_SECONDS: z.coerce.number().int().min(10).default(300),
  /**
   * Attempts of a webhook delivery's processing job before the delivery counts as failed and its job
   * lands in the failed list (GraphQL `failedJobs`, admins). Default 6.
   */
  WEBHOOK_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  /** Milliseconds before the first retry of a failed delivery job; each retry doubles it. Default 2000. */
  WEBHOOK_JOB_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(2000),
  /**
   * Seconds between passes of the api's delivery relay, which enqueues stored deliveries whose job is
   * not in Redis (Redis was away when they arrived, or lost its data); it also runs as soon as the
   * Redis connection is ready again. Default 5.
   */
  WEBHOOK_RELAY_EVERY_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  /** HTTP port of apps/api. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface apps/api listens on. */
  HOST: z.string().default('127.0.0.1'),
  /** Jobs a worker process runs at once per queue (but webhook deliveries: WEBHOOK_WORKER_CONCURRENCY). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /**
   * Webhook deliveries a worker process processes at once. Processing a delivery keeps a Postgres
   * connection busy from start to end (no waits on GitHub), so more of them at once than the database
   * host has cores adds no throughput and takes CPU from the api's acknowledgements. Default 2: on a
   * two-core host running everything, `npm run bench -- soak` (500 deliveries/s, two workers, 90-s
   * runs) measured a p99 acknowledgement of 34.5 ms at 2 against 124 ms at 4; the workers then drain
   * their backlog after the load.
   */
  WEBHOOK_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
  /**
   * `off` makes every GraphQL DataLoader fetch each key with a query of its own (no batching, no
   * per-request cache), which is what resolvers would cost without them; for measuring that
   * difference (`npm run bench -- members`), never for serving.
   */
  GRAPHQL_DATALOADERS: z.enum(['on', 'off']).default('on'),
  /**
   * `on`: every api answer carries a `Server-Timing` header (W3C Server Timing) with the request's
   * database time (`db`: while at least one of its statements ran, milliseconds) and its total time (`total`). Default
   * `off`: it tells every caller how long the database worked for it. The members benchmark turns it
   * on to measure GraphQL's overhead request by request.
   */
  SERVER_TIMING: z.enum(['on', 'off']).default('off'),
  /**
   * Seconds a computed leaderboard page stays in Redis (`<QUEUE_PREFIX>:leaderboard:*`). Pages are
   * keyed by their arguments, their resolved window and `leaderboard_version` (bumped in the
   * transaction of every change that can alter a page), so a cached page is always the page a
   * fresh computation would give; this only bounds memory. 0 turns the cache off. Default 300.
   */
  LEADERBOARD_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /**
   * Seconds a computed funnel stays in Redis (`<QUEUE_PREFIX>:funnel:*`). Funnels are keyed by
   * their arguments and `stage_version` (bumped in the transaction of every change that can alter
   * one), and a funnel of "now" is served only until the next stored instant that can change it,
   * so a cached funnel is always the one a fresh computation would give; this only bounds memory.
   * 0 turns the cache off. Default 300.
   */
  FUNNEL_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /**
   * Browser origins allowed to call the api cross-origin (CORS), comma-separated
   * (`https://console.example.org`): the console's. Unset: the api's own origin
   * (`http://HOST:PORT`, and `http://localhost:PORT` for a loopback HOST), which serves a local run.
   * Requests without an `Origin` header (scripts, GitHub) are not affected.
   */
  CONSOLE_ORIGIN: z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parseOrigins(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * Folder of the built console (`vite build` of apps/console, which `npm run build` runs), served at
   * `/console`; relative to the working directory. Default `dist/console`. While it holds no
   * `index.html`, `/console` answers 503 with how to build it.
   */
  CONSOLE_DIR: z.string().min(1).default('dist/console'),
  /**
   * Proxies whose `X-Forwarded-For` is believed (Fastify `trustProxy`): `loopback` (default: a
   * proxy on the same host), `false`, `true`, a hop count, or addresses and CIDR ranges. The client
   * address it yields keys the per-IP rate limits, so trusting more than the real proxies lets a
   * client pick its own address.
   */
  TRUST_PROXY: z.string().default('loopback').transform(parseTrustProxy),
  /**
   * Rate limits (`<requests>/<seconds>s` or `off`), counted in Redis and so shared by every api
   * process. `/graphql` per client IP address:
   */
  RATE_LIMIT_GRAPHQL_PER_IP: budget('300/60s'),
  /** `/graphql` per bearer token presented (whatever the address it comes from). */
  RATE_LIMIT_GRAPHQL_PER_TOKEN: budget('600/60s'),
  /**
   * `POST /webhooks/github` per source IP address. GitHub sends deliveries from a few address
   * ranges (GitHub's `/meta` API, `hooks`), an active organisation many per second, and does not
   * redeliver a refused one (the scheduled reconciliation re-syncs): keep it generous. Default
   * 3000/60s (50 a second per address).
   */
  RATE_LIMIT_WEBHOOK_PER_IP: budget('3000/60s'),
  /** Sign-in routes (`@RouteConfig({ rateLimit: 'signIn' })`) per client IP address. */
  RATE_LIMIT_SIGN_IN_PER_IP: budget('20/300s'),
  /**
   * Client id of the GitHub OAuth app people sign in with (GitHub: Settings → Developer settings → OAuth
   * Apps). Outside production, unset means the simulator's local client (see {@link githubOauthSettings});
   * in production sign-in is off (`/auth/github` answers 503) without id and secret.
   */
  GITHUB_OAUTH_CLIENT_ID: z.string().default(''),
  /** Client secret of that OAuth app. */
  GITHUB_OAUTH_CLIENT_SECRET: z.string().default(''),
  /**
   * Where GitHub's `/login/oauth/*` pages live; unset: derived from GITHUB_API_URL as Octokit does
   * (api.github.com → https://github.com, `…/api/v3` of GitHub Enterprise → its host, the simulator → itself).
   */
  GITHUB_OAUTH_BASE_URL: url(['http:', 'https:']).optional(),
  /**
   * The callback URL sent as `redirect_uri` (must be the OAuth app's registered callback or below it);
   * unset: `<the request's protocol and host>/auth/github/callback`.
   */
  GITHUB_OAUTH_CALLBACK_URL: url(['http:', 'https:']).optional(),
  /**
   * Who is ADMIN when they sign in, comma-separated: `id:<GitHub account id>` (stable across renames:
   * prefer it) or a login (case-insensitive; a login freed by a rename can be taken by someone else).
   */
  ADMIN_GITHUB_LOGINS: csv.default([]),
  /**
   * Key that signs the sign-in `state` cookie and derives each session's CSRF token; at least 32
   * characters. Defaults to {@link DEVELOPMENT_AUTH_SECRET}, refused in production once sign-in is on.
   */
  AUTH_SECRET: z.string().default(DEVELOPMENT_AUTH_SECRET),
  /** Lifetime of a sign-in session, seconds (default 14 days). */
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(90 * 24 * 3600).default(14 * 24 * 3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Port of a worker's own `GET /metrics` (Prometheus) server on HOST; unset, the worker serves no
   * metrics (apps/api serves its own at `/metrics` on PORT, queue depths included). 0 picks a free port.
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * Seconds a process waits, after SIGTERM, for in-flight HTTP requests (api) or running jobs
   * (worker) to finish before it exits anyway; a job cut off then is retried by BullMQ's stalled-job
   * check (its lock expires), not lost.
   */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * SMTP server digests are sent through, `smtp://user:pass@host:587` (STARTTLS when offered) or
   * `smtps://...:465`. Unset: messages are written as `.eml` files to MAIL_OUTBOX_DIR instead (local runs).
   */
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  /** Connections of the SMTP pool per worker process (nodemailer `maxConnections`). */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * Messages the SMTP server may accept per SMTP_RATE_WINDOW_MS, all workers together (a Redis
   * sliding window that holds during bursts; see libs/digests smtp-rate-limiter.ts).
   */
  SMTP_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
  /** The window of SMTP_RATE_LIMIT, in milliseconds. Default 1000 (SMTP_RATE_LIMIT per second). */
  SMTP_RATE_WINDOW_MS: z.coerce.number().int().min(10).max(86_400_000).default(1000),
  /** Directory the file outbox writes `.eml` files to when SMTP_URL is unset. */
  MAIL_OUTBOX_DIR: z.string().min(1).default('.cambrian/outbox'),
  /** Sender of digests: `Name <address>` or an address. */
  MAIL_FROM: z
    .string()
    .refine((value) => mailFromAddress(value) !== null, 'must be an e-mail address or "Name <address>"')
    .default('Cambrian <digest@cambrian.localhost>'),
  /**
   * The address of the `mailto:` URI of `List-Unsubscribe` (RFC 2369); default `unsubscribe@`
   * the domain of MAIL_FROM. The message's subject carries the member's token.
   */
  MAIL_UNSUBSCRIBE_ADDRESS: z.email().optional(),
  /**
   * Public base URL of apps/api, for the unsubscribe and preferences links of digests
   * (`<base>/unsubscribe?token=...`). Must be https in production with SMTP_URL set, except on localhost
   * (RFC 8058 one-click needs an https URI).
   */
  PUBLIC_BASE_URL: url(['http:', 'https:']).default('http://127.0.0.1:3000'),
  /**
   * Comma-separated secrets of the signed per-member unsubscribe and preferences tokens (HMAC-SHA256).
   * The first signs; every one verifies, so a secret can be rotated. Outside production it defaults to
   * {@link DEVELOPMENT_DIGEST_TOKEN_SECRET}; in production with SMTP_URL set it must be set to other secrets.
   */
  DIGEST_TOKEN_SECRETS: csv.default([DEVELOPMENT_DIGEST_TOKEN_SECRET]),
  /**
   * Cron pattern (UTC) of the digest planner: each run enqueues a digest for every opted-in member whose
   * local Monday DIGEST_SEND_HOUR:00 has passed and whose week just ended has no ledger row. Default hourly.
   */
  DIGEST_SCHEDULE_CRON: z.string().regex(CRON_PATTERN, 'must be a cron pattern of 5 or 6 fields').default('0 * * * *'),
  /** The member's local hour on Monday from which the week just ended is sent. Default 9. */
  DIGEST_SEND_HOUR: z.coerce.number().int().min(0).max(23).default(9),
  /** Attempts of a digest's job (SMTP 4xx and connection errors are retried with exponential backoff). */
  DIGEST_SEND_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** First retry delay of a digest's job, in milliseconds; doubled at each attempt. Default 60000. */
  DIGEST_RETRY_DELAY_MS: z.coerce.number().int().min(1).max(86_400_000).default(60_000),
  /**
   * Seconds a digest stays `sending` while its SMTP transaction runs; a retry that finds it `sending`
   * after that marks it `uncertain` instead of sending it again. Longer than the SMTP timeouts.
   */
  DIGEST_SEND_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(180),
}).superRefine((config, context) => {
  if (config.DIGEST_TOKEN_SECRETS.length === 0) {
    context.addIssue({ code: 'custom', path: ['DIGEST_TOKEN_SECRETS'], message: 'names no secret (give one or more, comma-separated)' });
  }
  // digests go to real people only through SMTP: then the token secret must be private and the links https
  if (config.NODE_ENV === 'production' && config.SMTP_URL) {
    if (config.DIGEST_TOKEN_SECRETS.includes(DEVELOPMENT_DIGEST_TOKEN_SECRET)) {
      context.addIssue({
        code: 'custom',
        path: ['DIGEST_TOKEN_SECRETS'],
        message: `must be set in production when SMTP_URL is; the development default "${DEVELOPMENT_DIGEST_TOKEN_SECRET}" is public (anyone could unsubscribe anyone)`,
      });
    }
    const base = new URL(config.PUBLIC_BASE_URL);
    if (base.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(base.hostname)) {
      context.addIssue({ code: 'custom', path: ['PUBLIC_BASE_URL'], message: 'must be an https URL in production (RFC 8058 one-click unsubscribe needs an https URI)' });
    }
  }
  // GitHub App variables belong together, and exclude GITHUB_TOKEN (see github-app.ts)
  for (const problem of readGithubApp(config).problems) context.addIssue({ code: 'custom', path: [problem.variable], message: problem.message });
  if (config.GITHUB_WEBHOOK_SECRETS.length === 0) {
    context.addIssue({ code: 'custom', path: ['GITHUB_WEBHOOK_SECRETS'], message: 'names no secret (give one or more, comma-separated)' });
  } else if (config.NODE_ENV === 'production' && config.GITHUB_WEBHOOK_SECRETS.includes(DEVELOPMENT_WEBHOOK_SECRET)) {
    context.addIssue({
      code: 'custom',
      path: ['GITHUB_WEBHOOK_SECRETS'],
      message: `must be set in production to the secrets of your webhooks; the development default "${DEVELOPMENT_WEBHOOK_SECRET}" is public`,
    });
  }
  // the key's value never appears in a message: only which variable and what is wrong with it
  if (config.CAMBRIAN_SECRETS_KEY !== undefined) {
    const problem = secretsKeyProblem(config.CAMBRIAN_SECRETS_KEY);
    if (problem) context.addIssue({ code: 'custom', path: ['CAMBRIAN_SECRETS_KEY'], message: problem });
    else if (config.NODE_ENV === 'production' && config.CAMBRIAN_SECRETS_KEY.trim() === DEVELOPMENT_SECRETS_KEY) {
      context.addIssue({ code: 'custom', path: ['CAMBRIAN_SECRETS_KEY'], message: 'is the public development key; set a key of your own in production' });
    }
  }
  config.CAMBRIAN_SECRETS_OLD_KEYS.forEach((key, index) => {
    const problem = secretsKeyProblem(key);
    if (problem) context.addIssue({ code: 'custom', path: ['CAMBRIAN_SECRETS_OLD_KEYS'], message: `entry ${index + 1} ${problem}` });
  });
  if (config.AUTH_SECRET.length < 32) {
    context.addIssue({ code: 'custom', path: ['AUTH_SECRET'], message: 'must be at least 32 characters' });
  } else if (config.NODE_ENV === 'production' && config.GITHUB_OAUTH_CLIENT_ID !== '' && config.AUTH_SECRET === DEVELOPMENT_AUTH_SECRET) {
    context.addIssue({ code: 'custom', path: ['AUTH_SECRET'], message: 'must be set in production when sign-in is on (GITHUB_OAUTH_CLIENT_ID); the development default is public' });
  }
});

/** The validated configuration object every Cambrian process shares. */
export type CambrianConfig = z.output<typeof configSchema>;
