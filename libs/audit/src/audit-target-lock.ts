import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { TimedPgClient } from '#libs/observability';
import { AuditException, AuditExceptionCode } from './audit.exception.js';
import type { AuditTarget } from './audit.types.js';

/** Connections of the lock pool: at most this many audited changes hold a target lock at once (the others wait for a connection). */
const LOCK_CONNECTIONS = 8;
/** Longest wait for a target's lock (milliseconds) before the change is refused. */
const LOCK_TIMEOUT_MS = 30_000;

/** Releases a target lock; never throws (a connection whose unlock fails is closed, which releases the lock). */
export type AuditTargetRelease = () => Promise<void>;

/**
 * Serialises the audited changes of one target (e.g. `hackathon` + its id), across every api
 * process, so that the `before` an audit row records is the state the change itself starts from:
 * a second change of the same target reads its `before` only once the first has ended, so it sees
 * the first one's result.
 *
 * The lock is a session-level Postgres advisory lock (key: `hashtext('audit-target')` and
 * `hashtext('<type>:<id lower-cased>')`; a hash collision only serialises two unrelated targets)
 * held on a connection of a small pool of its own, not the application's: a change holding a lock
 * still needs connections of the application pool for its work, and holding them from the same
 * pool could exhaust it. A row lock (`FOR UPDATE`) is not used because the change's own
 * transaction, on another connection, would then wait on it: a self-deadlock. A process that dies
 * holding a lock loses its connection, and Postgres releases the lock with it.
 *
 * What it does not cover: writes that do not go through an audited change (sync, workers), and
 * a target named two ways (a hackathon by slug and by id) unless the caller also locks the id it
 * learns ({@link lock} can be called again for it; see the audit interceptor).
 */
@Injectable()
export class AuditTargetLock implements OnModuleDestroy {
  private pool?: pg.Pool;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Waits for (at most {@link LOCK_TIMEOUT_MS}) and takes the lock of `target`.
   * @returns the function that releases it.
   * @throws AuditException AUDIT_UNAVAILABLE when the lock cannot be taken in time or the database cannot be reached (the change must then be refused).
   */
  async lock(target: AuditTarget & { id: string }): Promise<AuditTargetRelease> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.lockPool().connect();
      await client.query(`SET lock_timeout = ${LOCK_TIMEOUT_MS}`);
      await client.query(`SELECT pg_advisory_lock(hashtext('audit-target'), hashtext($1))`, [targetKey(target)]);
    } catch (error) {
      client?.release(true);
      throw new AuditException(
        `The audit log could not lock ${target.type} ${target.id}: ${error instanceof Error ? error.message : String(error)}`,
        AuditExceptionCode.AUDIT_UNAVAILABLE,
        { cause: error },
      );
    }
    const held = client;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        await held.query(`SELECT pg_advisory_unlock(hashtext('audit-target'), hashtext($1))`, [targetKey(target)]);
        held.release();
      } catch {
        held.release(true); // closing the session releases its locks
      }
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
    this.pool = undefined;
  }

  private lockPool(): pg.Pool {
    if (this.pool) return this.pool;
    const options = this.dataSource.options as { url?: string; host?: string; port?: number; username?: string; password?: unknown; database?: string };
    this.pool = new pg.Pool({
      ...(options.url
        ? { connectionString: options.url }
        : { host: options.host, port: options.port, user: options.username, password: typeof options.password === 'string' ? options.password : undefined, database: options.database }),
      max: LOCK_CONNECTIONS,
      application_name: 'cambrian-audit-lock',
      // a request's wait for its lock is database time of that request (its log line, Server-Timing)
      Client: TimedPgClient,
    });
    // A connection that errors (e.g. Postgres restarts) must not crash the process: the pool handles
    // idle ones ('error'); one that holds a lock is checked out, so it gets a listener of its own and
    // its unlock then fails, which closes it (see lock)
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    return this.pool;
  }
}

/** The lock key of a target: `<type>:<id>` with the id lower-cased (UUIDs and slugs compare case-insensitively). */
export function targetKey(target: AuditTarget & { id: string }): string {
  return `${target.type}:${target.id.toLowerCase()}`;
}
