import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sparePort } from './resilience-processes.js';

const run = promisify(execFile);

/** Where Debian's postgresql packages put the server binaries (one directory per major version). */
const DEBIAN_POSTGRES_LIB = '/usr/lib/postgresql';

/**
 * The `bin` directory of the newest Postgres under /usr/lib/postgresql (or `PG_BIN` when set),
 * holding `initdb`, `pg_ctl` and `postgres`.
 * @throws Error naming what is missing, when the binaries are not installed.
 */
export function postgresBinDir(): string {
  const candidates = process.env.PG_BIN
    ? [process.env.PG_BIN]
    : existsSync(DEBIAN_POSTGRES_LIB)
      ? readdirSync(DEBIAN_POSTGRES_LIB)
          .filter((version) => /^\d+$/.test(version))
          .sort((a, b) => Number(b) - Number(a))
          .map((version) => join(DEBIAN_POSTGRES_LIB, version, 'bin'))
      : [];
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      `no Postgres server binaries (initdb, pg_ctl) in ${process.env.PG_BIN ? `PG_BIN=${process.env.PG_BIN}` : `${DEBIAN_POSTGRES_LIB}/<version>/bin`}: ` +
        'install the postgresql package (Debian: apt-get install postgresql) or set PG_BIN to the directory holding them',
    );
  }
  return found;
}

/**
 * The account the cluster runs as. Postgres refuses to run as root, so under root the cluster
 * runs as the `postgres` account (created by Debian's package); otherwise as the current user.
 */
function clusterAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch (error) {
    throw new Error('running as root, and there is no `postgres` account to run a test Postgres cluster as (Postgres refuses root)', { cause: error });
  }
}

/**
 * A Postgres cluster of a test's own: `initdb` into a temporary directory (trust authentication,
 * superuser `postgres`), served by `pg_ctl` on a spare port of 127.0.0.1, with its socket in the
 * same directory. Stopping and starting it is a real Postgres shutdown: every backend and
 * connection ends, as on a restart of the machine's server.
 */
export class PostgresCluster {
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly bin: string,
    private readonly account: { uid: number; gid: number } | undefined,
  ) {}

  /** initdb, then start; resolves once the server accepts connections. */
  static async start(): Promise<PostgresCluster> {
    const bin = postgresBinDir();
    const account = clusterAccount();
    const base = mkdtempSync(join(tmpdir(), 'cambrian-pg-'));
    if (account) chownSync(base, account.uid, account.gid);
    const cluster = new PostgresCluster(await sparePort(), join(base, 'data'), bin, account);
    await cluster.exec('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C']);
    await cluster.begin();
    return cluster;
  }

  /** `postgres://postgres@127.0.0.1:<port>/<database>`. */
  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /**
   * `pg_ctl start -w`: listening on 127.0.0.1 only, the socket in the cluster's directory. Starting
   * the same cluster again after {@link stop} is the second half of a restart.
   */
  async begin(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${join(this.dataDir, '..')} -c max_connections=200`;
    await this.exec('pg_ctl', ['start', '-w', '-t', '60', '-D', this.dataDir, '-l', join(this.dataDir, '..', 'server.log'), '-o', options]);
  }

  /**
   * `pg_ctl stop -m <mode> -w`. `fast` (what `pg_ctl restart -m fast` does first): open
   * transactions are rolled back, backends and connections closed, a checkpoint written.
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['stop', '-w', '-t', '60', '-m', mode, '-D', this.dataDir]);
  }

  /** `pg_ctl restart -m fast -w` in one step. */
  async restart(): Promise<void> {
    await this.exec('pg_ctl', ['restart', '-w', '-t', '60', '-m', 'fast', '-D', this.dataDir, '-l', join(this.dataDir, '..', 'server.log')]);
  }

  /** Stops the server (immediate: nothing to keep) and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
  }

  private async exec(program: 'initdb' | 'pg_ctl', args: string[]): Promise<void> {
    try {
      await run(join(this.bin, program), args, { ...this.account, cwd: tmpdir(), env: { ...process.env, LC_ALL: 'C' } });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${program} ${args[0]} failed: ${(stderr || stdout || (error as Error).message).trim()}`, { cause: error });
    }
  }
}
