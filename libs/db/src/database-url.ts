/**
 * Splits a Postgres URL into the database name and a URL of the maintenance database
 * (`postgres`) on the same server, used to create the database when it is missing.
 * The name is decoded as node-postgres decodes it (`decodeURI`, pg-connection-string), so that what is
 * created or dropped is the database the application connects to: `%3B` stays `%3B` in both.
 */
export function splitDatabaseUrl(databaseUrl: string): { database: string; maintenanceUrl: string } {
  const url = new URL(databaseUrl);
  const database = decodeURI(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`DATABASE_URL names no database: ${url.protocol}//${url.host}/`);
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  return { database, maintenanceUrl: maintenance.toString() };
}

/**
 * The URL of database `name` on the same server (and with the same credentials) as `databaseUrl`.
 * @throws Error naming the name when node-postgres could not read it back from a URL: it decodes the
 * path with `decodeURI`, which leaves `;`, `/`, `?`, `#`, `&`, `=`, `+`, `$`, `,`, `:` and `@` encoded.
 */
export function databaseUrlFor(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  if (decodeURI(url.pathname.slice(1)) !== name) {
    throw new Error(`database name "${name}" cannot travel in a Postgres URL (node-postgres would read another name): use letters, digits, "_" and "-"`);
  }
  return url.toString();
}
