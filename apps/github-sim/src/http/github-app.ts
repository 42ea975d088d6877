import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

/** A GitHub App the sim knows, and its installations. */
export interface SimGithubAppOptions {
  appId: number;
  /** The App's public key (PEM, or the private key: its public half is used) that verifies RS256 JWTs. */
  publicKey: string | KeyObject;
  /** Installations: id and the account (user or organisation login) whose repositories it covers. */
  installations: Array<{ id: number; account: string }>;
  /** Lifetime of installation tokens in seconds (GitHub: 3600). */
  tokenTtlSeconds?: number;
}

/** GitHub's 401 messages for App JWTs ("Authenticating as a GitHub App"). */
export const JwtMessage = {
  undecodable: 'A JSON web token could not be decoded',
  expired: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  tooFar: "'Expiration time' claim ('exp') is too far in the future",
  issuedAt: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
} as const;

/** What an `Authorization` token is to the App part of the sim. */
export type SimTokenCheck =
  | { kind: 'installation'; installationId: number }
  /** An installation token the sim never issued, or one past its expiry: 401 "Bad credentials". */
  | { kind: 'bad-credentials' }
  /** Looks like a JWT (three dot-separated parts): verified by the App routes. */
  | { kind: 'jwt' }
  | { kind: 'other' };

const INSTALLATION_TOKEN = /^ghs_[A-Za-z0-9]{36}$/;

function json(part: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The GitHub App side of the sim (GitHub Docs, "Authenticating as a GitHub App installation"):
 * JWTs signed RS256 by the App's private key (`iss` the App id, `iat` no later than now + 60 s,
 * `exp` in the future and at most 10 minutes ahead), installation tokens `ghs_…` that expire after
 * `tokenTtlSeconds`, and the rate limit of every token of an installation shared by the installation.
 */
export class SimGithubApp {
  readonly appId: number;
  readonly tokenTtlSeconds: number;
  private readonly publicKey: KeyObject;
  private readonly tokens = new Map<string, { installationId: number; expiresAtMs: number }>();
  /** Installation tokens issued so far (tests count refreshes). */
  issued = 0;

  constructor(
    private readonly options: SimGithubAppOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.appId = options.appId;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    const key = options.publicKey;
    this.publicKey = typeof key !== 'string' && key.type === 'public' ? key : createPublicKey(key);
  }

  /** Verifies an App JWT; returns null when valid, else GitHub's 401 message. */
  verifyJwt(jwt: string | null): string | null {
    const parts = jwt?.split('.') ?? [];
    if (parts.length !== 3) return JwtMessage.undecodable;
    const header = json(parts[0]);
    const payload = json(parts[1]);
    if (!header || !payload || header.alg !== 'RS256') return JwtMessage.undecodable;
    const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!signed || String(payload.iss) !== String(this.appId)) return JwtMessage.undecodable;
    const nowSeconds = Math.floor(this.now() / 1000);
    if (typeof payload.iat !== 'number' || payload.iat > nowSeconds + 60) return JwtMessage.issuedAt;
    if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) return JwtMessage.expired;
    if (payload.exp - nowSeconds > 600 + 60) return JwtMessage.tooFar;
    return null;
  }

  /** Classifies a token of an `Authorization` header (see {@link SimTokenCheck}). */
  check(token: string | null): SimTokenCheck {
    if (!token) return { kind: 'other' };
    if (INSTALLATION_TOKEN.test(token)) {
      const known = this.tokens.get(token);
      if (!known || known.expiresAtMs <= this.now()) return { kind: 'bad-credentials' };
      return { kind: 'installation', installationId: known.installationId };
    }
    return token.split('.').length === 3 ? { kind: 'jwt' } : { kind: 'other' };
  }

  /** An installation by id, or undefined. */
  installation(id: number): { id: number; account: string } | undefined {
    return this.options.installations.find((installation) => installation.id === id);
  }

  /** The installation covering an owner's repositories (login compared case-insensitively), or undefined. */
  installationFor(owner: string): { id: number; account: string } | undefined {
    return this.options.installations.find((installation) => installation.account.toLowerCase() === owner.toLowerCase());
  }

  /** Every installation. */
  installations(): ReadonlyArray<{ id: number; account: string }> {
    return this.options.installations;
  }

  /** Issues an installation token ("Create an installation access token for an app"). */
  issueToken(installationId: number): { token: string; expiresAt: Date } {
    let token = 'ghs_';
    while (token.length < 40) token += randomBytes(32).toString('base64').replace(/[^A-Za-z0-9]/g, '');
    token = token.slice(0, 40);
    const expiresAtMs = this.now() + this.tokenTtlSeconds * 1000;
    this.tokens.set(token, { installationId, expiresAtMs });
    this.issued += 1;
    return { token, expiresAt: new Date(expiresAtMs) };
  }
}
