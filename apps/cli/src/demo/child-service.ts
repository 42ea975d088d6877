import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A Cambrian process the demo started, with its output going to a log file. */
export interface ChildService {
  name: string;
  logFile: string;
  process: ChildProcess;
  /** Sends SIGTERM and waits (at most `graceMs`, then SIGKILL). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node <script>` with extra environment variables; stdout and stderr are appended
 * to `logFile` so the demo's own display stays readable. A child that exits early rejects
 * the returned `exited` promise users can race against readiness checks.
 */
export function startChildService(options: {
  name: string;
  script: string;
  env: Record<string, string>;
  logFile: string;
}): ChildService & { exited: Promise<never> } {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [options.script], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let stopping = false;
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      if (!stopping) {
        reject(new Error(`${options.name} exited (${signal ?? `code ${code}`}); see ${options.logFile}`));
      }
    });
  });
  exited.catch(() => undefined);
  return {
    name: options.name,
    logFile: options.logFile,
    process: child,
    exited,
    stop: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Polls `url` until it answers 2xx, the child exits, or `timeoutMs` passes.
 * @throws Error naming the service and its log file.
 */
export async function waitForHttp(
  service: ChildService & { exited: Promise<never> },
  url: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const poll = async (): Promise<void> => {
    while (Date.now() < deadline) {
      try {
        const response = await fetch(url);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${service.name} did not answer ${url} within ${timeoutMs / 1000} s; see ${service.logFile}`);
  };
  await Promise.race([poll(), service.exited]);
}
