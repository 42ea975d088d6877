/**
 * Compiled Cambrian apps (dist/apps/<app>/src/main.js) as child processes for benchmarks, their
 * JSON log lines written to a file (so that reading them costs the benchmark nothing), with their
 * resident memory and CPU time read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository root (dist/bench/lib → three levels up). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Clock ticks per second of /proc/<pid>/stat times (100 on Linux). */
const CLOCK_TICKS = 100;

/** A compiled app running as a child process. */
export class AppChild {
  readonly exited: Promise<number | null>;

  private constructor(
    readonly app: 'api' | 'worker',
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts `app` with `env` (merged over this process' environment), stdout and stderr appended
   * to `logFile`; `nodeOptions` go before the script (e.g. `--cpu-prof`).
   */
  static start(app: 'api' | 'worker', env: NodeJS.ProcessEnv, logFile: string, nodeOptions: string[] = []): AppChild {
    const main = `${ROOT}dist/apps/${app}/src/main.js`;
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [...nodeOptions, main], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    return new AppChild(app, child, logFile);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once a line of the log file has this `msg` (at most `seconds`). */
  async logged(msg: string, seconds = 120): Promise<void> {
    const needle = `"msg":${JSON.stringify(msg)}`;
    for (let waited = 0; waited < seconds * 1000; waited += 100) {
      if (!this.running) throw new Error(`the ${this.app} exited before logging "${msg}" (see ${this.logFile})`);
      if (readFileSync(this.logFile, 'utf8').includes(needle)) return;
      await sleep(100);
    }
    throw new Error(`the ${this.app} did not log "${msg}" within ${seconds} s (see ${this.logFile})`);
  }

  /** Resident set size in bytes (VmRSS of /proc/<pid>/status); 0 once exited. */
  rssBytes(): number {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }

  /** CPU seconds used so far (user + system, /proc/<pid>/stat); 0 once exited. */
  cpuSeconds(): number {
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime (fields 14 and 15)
    } catch {
      return 0;
    }
  }

  /** SIGKILL: no shutdown, running jobs are left to BullMQ's stalled-job check. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, the graceful stop; SIGKILL after `seconds`. */
  async stop(seconds = 30): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), seconds * 1000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
