import { databaseUrlFor, splitDatabaseUrl } from './database-url.js';

describe('database URLs', () => {
  it.each([
    ['postgres://postgres@127.0.0.1:5432/cambrian', 'cambrian_bench', 'postgres://postgres@127.0.0.1:5432/cambrian_bench'],
    ['postgres://u:p%40ss@db.example:6543/x?sslmode=require', 'y', 'postgres://u:p%40ss@db.example:6543/y?sslmode=require'],
  ])('names database %s → %s on the same server', (url, name, expected) => {
    expect(databaseUrlFor(url, name)).toBe(expected);
  });

  it('splits a URL into its database and the maintenance database URL', () => {
    expect(splitDatabaseUrl('postgres://postgres@127.0.0.1:5432/cambrian')).toEqual({
      database: 'cambrian',
      maintenanceUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
    });
  });

  it('reads a name as node-postgres does (decodeURI): a space is decoded, an encoded ";" is not', () => {
    expect(splitDatabaseUrl('postgres://127.0.0.1:5432/my%20db').database).toBe('my db');
    expect(splitDatabaseUrl('postgres://127.0.0.1:5432/a%3Bb').database).toBe('a%3Bb');
    expect(databaseUrlFor('postgres://127.0.0.1:5432/x', 'my db')).toBe('postgres://127.0.0.1:5432/my%20db');
  });

  it('refuses to put in a URL a name node-postgres would read back as another', () => {
    expect(() => databaseUrlFor('postgres://127.0.0.1:5432/x', 'a;b')).toThrow('database name "a;b" cannot travel in a Postgres URL');
  });

  it('refuses a URL that names no database', () => {
    expect(() => splitDatabaseUrl('postgres://127.0.0.1:5432/')).toThrow('DATABASE_URL names no database');
  });
});
