/**
 * Splits a Postgres URL into the database name and a URL of the maintenance database
 * (`postgres`) on the same server, used to create the database when it is missing.
 */
export function splitDatabaseUrl(databaseUrl: string): { database: string; maintenanceUrl: string } {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`DATABASE_URL names no database: ${url.protocol}//${url.host}/`);
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  return { database, maintenanceUrl: maintenance.toString() };
}

/** The URL of database `name` on the same server (and with the same credentials) as `databaseUrl`. */
export function databaseUrlFor(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}
