/**
 * Entry of the worker thread of a matching run (see solve-in-worker-thread.ts): reads the rows
 * (or their JSON text) from `workerData`, builds, hashes and solves the problem, and posts back the result ready to
 * store, or the error the solver raised.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { solveMatching } from '../matching/matching-solver.js';
import { runMatchingPipeline, type MatchingInput } from './matching-pipeline.js';

const { input } = workerData as { input: MatchingInput | string };
try {
  const rows: MatchingInput = typeof input === 'string' ? JSON.parse(input) : input;
  parentPort!.postMessage({ ok: true, result: { ...runMatchingPipeline(rows, (problem) => solveMatching(problem)), threadId } });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
