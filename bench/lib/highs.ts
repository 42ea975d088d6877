import highsModule from 'highs';
import type { Highs } from 'highs';
import type { MatchingProblem } from '../../libs/hackathons/src/matching/matching-problem.js';
import { matchingLinearProgram } from '../../libs/hackathons/src/matching/matching-lp.js';

export type { Highs };

/**
 * Loads the HiGHS LP solver (WebAssembly, from the `highs` package; no network). The package's
 * types describe a CommonJS module with a `default` export, while Node's ESM entry (what this
 * project loads) exports the loader itself: hence the cast.
 */
export function loadHighs(): Promise<Highs> {
  const loader = highsModule as unknown as typeof highsModule.default;
  return loader();
}

/**
 * The optimum of matchingLinearProgram(problem) by HiGHS (dual simplex, no output), and its
 * solve time in milliseconds.
 * @throws Error when HiGHS does not report an optimal status.
 */
export function highsMatchingObjective(highs: Highs, problem: MatchingProblem): { objective: number; ms: number } {
  const lp = matchingLinearProgram(problem);
  return highs.withModel({ ...lp, sense: highs.constants.objectiveSense.maximize }, (model) => {
    model.options.set({ output_flag: false });
    const started = performance.now();
    const run = model.run();
    const ms = performance.now() - started;
    if (run.modelStatus !== highs.constants.modelStatus.optimal) {
      throw new Error(`HiGHS did not find the optimum (model status ${run.modelStatus})`);
    }
    return { objective: model.getObjectiveValue(), ms };
  });
}
