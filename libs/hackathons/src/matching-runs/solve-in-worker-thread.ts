import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MatchingInput, StorableMatchingResult } from './matching-pipeline.js';

/** The solver refused the problem (e.g. pins that exceed a capacity): the run fails, a retry would not help. */
export class MatchingSolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchingSolveError';
  }
}

/**
 * How to start the thread. Compiled (dist, `.js`) its entry beside this file is plain
 * JavaScript. Run from the TypeScript sources (Jest, `tsx`), a small bootstrap registers tsx's
 * loader in the thread first and then imports the `.ts` entry (Node 20 resolves a Worker's entry
 * before `--import` hooks apply), with the `types` condition so that `#libs/*` imports resolve to
 * sources as they do in the parent.
 */
function threadSource(): { source: string | URL; eval: boolean; execArgv: string[] } {
  if (import.meta.url.endsWith('.js')) return { source: new URL('./solve-matching.thread.js', import.meta.url), eval: false, execArgv: [] };
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./solve-matching.thread.ts', import.meta.url).href;
  const source = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return { source, eval: true, execArgv: ['--conditions=types'] };
}

/**
 * Builds, hashes and solves a matching run in a worker thread (node:worker_threads,
 * {@link runMatchingPipeline}), so that the event loop of the calling process stays free while
 * the CPU-bound part runs (for 10,000 teams it takes seconds): BullMQ renews the job's lock from
 * that loop, and a blocked loop lets the lock lapse and another worker take the job (bullmq
 * #439, case J2). `input` is the rows or, cheaper to hand over, their JSON text
 * ({@link loadMatchingInputJson}); the result comes back in columns. Deterministic: the thread runs the same pure functions and `solveMatching`.
 * @throws MatchingSolveError when the solver refuses the problem; Error when the thread dies or
 *   `timeoutMs` (default 10 minutes) passes (the thread is terminated).
 */
export function solveInWorkerThread(input: MatchingInput | string, options: { timeoutMs?: number } = {}): Promise<StorableMatchingResult> {
  const { source, eval: isEval, execArgv } = threadSource();
  const timeoutMs = options.timeoutMs ?? 600_000;
  return new Promise<StorableMatchingResult>((resolve, reject) => {
    const worker = new Worker(source, { eval: isEval, workerData: { input }, execArgv });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`matching solve exceeded ${timeoutMs} ms; the thread was stopped`))), timeoutMs);
    worker.once('message', (message: { ok: true; result: StorableMatchingResult } | { ok: false; message: string }) =>
      settle(() => (message.ok ? resolve(message.result) : reject(new MatchingSolveError(message.message)))),
    );
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`matching solver thread exited with code ${code} before answering`))));
  });
}
