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

  it('refuses a URL that names no database', () => {
    expect(() => splitDatabaseUrl('postgres://127.0.0.1:5432/')).toThrow('DATABASE_URL names no database');
  });
});
