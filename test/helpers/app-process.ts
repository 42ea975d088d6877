/**
 * The compiled Cambrian apps (dist/apps/<app>/src/main.js: `npm run build` first) as child
 * processes, for the process tests (test/resilience, test/e2e) and the benchmarks (bench/, which
 * run this file compiled, from dist/test/helpers). Nothing here depends on Jest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file with a package.json (test/helpers under Jest, dist/test/helpers compiled). */
const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
})();

/** What the api logs once it accepts connections; the line carries its base URL as `url`. */
export const API_LISTENING = 'listening (GraphQL at /graphql, webhooks at /webhooks/github, metrics at /metrics)';

/** The environment a test gives an app under test: test mode, logs at info, any free port on 127.0.0.1. */
export const TEST_APP_ENV = { NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1' } as const;

/** How an app is started. */
export interface AppProcessOptions {
  /**
   * Append stdout and stderr to this file instead of keeping the log lines in memory: writing them
   * then costs the parent nothing until it reads the file (benchmarks). Without it, stdout is read
   * into {@link AppProcess.lines}.
   */
  logFile?: string;
  /** With the log kept in memory: stderr shown in the parent's (`inherit`), dropped (`ignore`) or, by default, its last lines kept in {@link AppProcess.stderrTail}. */
  stderr?: 'inherit' | 'ignore';
  /** Node options placed before the script (e.g. `--cpu-prof`). */
  nodeOptions?: string[];
}

/** How many of a process's last stderr lines {@link AppProcess.stderrTail} keeps. */
const STDERR_TAIL_LINES = 50;

/** A compiled Cambrian app running as a child process, with its JSON log lines. */
export class AppProcess {
  /** The JSON log lines read so far (a line that is not JSON is kept as `{ msg: <line> }`); empty with a `logFile`. */
  readonly lines: Array<Record<string, unknown>> = [];
  /** The exit code (null when killed by a signal), once the process has exited and its output is read. */
  readonly exited: Promise<number | null>;
  /** The last {@link STDERR_TAIL_LINES} lines the process wrote to stderr (a crash's stack), unless stderr goes elsewhere. */
  readonly stderrTail: string[] = [];

  private constructor(
    readonly app: 'api' | 'worker',
    readonly child: ChildProcess,
    readonly logFile: string | undefined,
  ) {
    if (child.stdout) {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        for (const part of parts) if (part.trim()) this.lines.push(parseLine(part));
      });
    }
    if (child.stderr) {
      child.stderr.on('data', (chunk: Buffer) => {
        this.stderrTail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim()));
        this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - STDERR_TAIL_LINES));
      });
    }
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  /**
   * Throws unless the process is still running, saying how it ended, with its last log lines and
   * stderr (an exit during a test is otherwise only a bare exit code).
   */
  assertRunning(): void {
    if (this.running) return;
    const logs = this.lines.slice(-20).map((line) => JSON.stringify(line));
    throw new Error(
      `the ${this.app} exited (code ${this.child.exitCode}, signal ${this.child.signalCode});\n` +
        `its last log lines:\n${logs.join('\n') || '(none kept)'}\nits stderr:\n${this.stderrTail.join('\n') || '(none kept)'}`,
    );
  }

  /**
   * Starts `app` with `env` merged over this process' environment (nothing else is added: tests
   * pass {@link TEST_APP_ENV}), from the repository root.
   * @throws Error when dist/apps/<app>/src/main.js is missing.
   */
  static start(app: 'api' | 'worker', env: NodeJS.ProcessEnv, options: AppProcessOptions = {}): AppProcess {
    const main = join(ROOT, `dist/apps/${app}/src/main.js`);
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
    const spawnWith = (stdio: ['ignore', 'pipe' | number, 'pipe' | 'inherit' | 'ignore' | number]) =>
      spawn(process.execPath, [...(options.nodeOptions ?? []), main], { cwd: ROOT, env: { ...process.env, ...env }, stdio });
    if (!options.logFile) return new AppProcess(app, spawnWith(['ignore', 'pipe', options.stderr ?? 'pipe']), undefined);
    const fd = openSync(options.logFile, 'a');
    try {
      return new AppProcess(app, spawnWith(['ignore', fd, fd]), options.logFile);
    } finally {
      closeSync(fd);
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * The first log line whose `msg` is `msg`, once logged.
   * @throws Error when the process exits first, or after `seconds`.
   */
  async logged(msg: string, seconds = 90): Promise<Record<string, unknown>> {
    const where = this.logFile ? ` (see ${this.logFile})` : '';
    for (let waited = 0; waited < seconds * 1000; waited += 50) {
      const line = this.findLogged(msg);
      if (line) return line;
      if (!this.running) {
        await this.exited; // every line read
        const last = this.findLogged(msg);
        if (last) return last;
        throw new Error(`the ${this.app} exited before logging "${msg}"${where}`);
      }
      await sleep(50);
    }
    throw new Error(`the ${this.app} did not log "${msg}" within ${seconds} s${where}`);
  }

  private findLogged(msg: string): Record<string, unknown> | undefined {
    if (!this.logFile) return this.lines.find((line) => line.msg === msg);
    const text = readFileSync(this.logFile, 'utf8');
    const at = text.indexOf(`"msg":${JSON.stringify(msg)}`);
    if (at < 0) return undefined;
    const start = text.lastIndexOf('\n', at) + 1;
    const end = text.indexOf('\n', at);
    return parseLine(text.slice(start, end < 0 ? undefined : end));
  }

  /** The api's base URL (`http://127.0.0.1:<port>`), once it listens. */
  async url(): Promise<string> {
    return String((await this.logged(API_LISTENING)).url).replace('[::1]', '127.0.0.1');
  }

  /** SIGKILL (no shutdown: running jobs are left to BullMQ's stalled-job check); resolves once exited. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, the graceful stop, then SIGKILL after `seconds`; resolves with the exit code. */
  async stop(seconds = 30): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), seconds * 1000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line };
  }
}
