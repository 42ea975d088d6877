import type { Queryable } from './factories.js';

/**
 * Counts rows written (inserted, updated or deleted) per table of the `public` schema, from
 * every connection, with an AFTER ... FOR EACH ROW trigger per table that advances a sequence of
 * that table (`row_writes__<table>`). Sequences are not transactional and are not table writes,
 * so counting costs no rows itself and survives rollbacks of the writer. Unlike
 * `pg_stat_user_tables`, which other backends report asynchronously, the counts are exact as soon
 * as the writing statement returned. An `INSERT ... ON CONFLICT DO NOTHING` that inserts
 * nothing and an `UPDATE` whose `WHERE` matches nothing fire no row trigger: they count 0, as
 * `n_tup_ins` / `n_tup_upd` do.
 */
export interface RowWriteCounter {
  /** Rows written per table since installation (tables with 0 left out). */
  read(): Promise<Record<string, number>>;
}

/** Installs the counter on every table of `public` except TypeORM's `migrations` (`db`: a pg client or pool). */
export async function installRowWriteCounter(db: Queryable): Promise<RowWriteCounter> {
  await db.query(`
    CREATE OR REPLACE FUNCTION count_row_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM nextval(format('%I', 'row_writes__' || TG_TABLE_NAME));
      RETURN NULL;
    END $$;
    DO $$
    DECLARE t text;
    BEGIN
      FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' LOOP
        EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', 'row_writes__' || t);
        EXECUTE format('DROP TRIGGER IF EXISTS count_row_write ON %I', t);
        EXECUTE format('CREATE TRIGGER count_row_write AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION count_row_write()', t);
      END LOOP;
    END $$;`);
  return {
    async read() {
      const { rows: sequences } = await db.query(
        `SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public' AND sequencename LIKE 'row\\_writes\\_\\_%'`,
      );
      const counts: Record<string, number> = {};
      for (const { name } of sequences as Array<{ name: string }>) {
        const { rows } = await db.query(`SELECT last_value, is_called FROM "${name}"`);
        const row = rows[0] as { last_value: string; is_called: boolean };
        const count = row.is_called ? Number(row.last_value) : 0;
        if (count) counts[name.slice('row_writes__'.length)] = count;
      }
      return counts;
    },
  };
}
