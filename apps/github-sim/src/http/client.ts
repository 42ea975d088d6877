/** Who is calling: a token from `Authorization`, or an anonymous client identified by IP. */
export interface SimClient {
  token: string | null;
  anonymous: boolean;
  /** Rate-limit bucket key: `token:<token>` or `ip:<address>`. */
  key: string;
  /** Stats label: the token, or `anonymous`. */
  label: string;
  ip: string;
}

const TOKEN_AUTH = /^(?:token|bearer)\s+(\S+)\s*$/i;

/**
 * Reads the client from an `Authorization` header as GitHub accepts tokens (`token X` or `Bearer X`); any other or
 * missing header makes the client anonymous, bucketed per IP as GitHub does for unauthenticated requests.
 */
export function identifyClient(authorization: string | undefined, ip: string): SimClient {
  const match = authorization ? TOKEN_AUTH.exec(authorization) : null;
  if (match) return { token: match[1], anonymous: false, key: `token:${match[1]}`, label: match[1], ip };
  return { token: null, anonymous: true, key: `ip:${ip}`, label: 'anonymous', ip };
}
