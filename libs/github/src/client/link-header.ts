/**
 * Parses an RFC 8288 `Link` header as GitHub sends it for pagination
 * (`<https://api.github.com/...&page=2>; rel="next", <...>; rel="last"`; GitHub Docs, "Using
 * pagination in the REST API"). Returns the URL of each relation; an absent or empty header
 * gives `{}`. A link with several relations (`rel="next last"`) is listed under each.
 */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^,;<]+)*)/g)) {
    const [, url, params] = match;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params)?.[1];
    if (!rel) continue;
    for (const name of rel.trim().split(/\s+/)) links[name.toLowerCase()] ??= url;
  }
  return links;
}

/**
 * Makes a pagination URL relative to the API base (`https://ghe.example/api/v3/x?page=2` with
 * base `https://ghe.example/api/v3` gives `/x?page=2`), so a stored cursor survives a change of
 * host or port (the simulator listens on a new port every run). A URL outside the base is
 * returned unchanged.
 */
export function relativeToBase(url: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (url.startsWith(`${base}/`)) return url.slice(base.length);
  try {
    const target = new URL(url);
    const origin = new URL(base);
    const prefix = origin.pathname.replace(/\/+$/, '');
    if (target.origin === origin.origin && target.pathname.startsWith(`${prefix}/`)) {
      return target.pathname.slice(prefix.length) + target.search;
    }
  } catch {
    // not an absolute URL: already relative
  }
  return url;
}
