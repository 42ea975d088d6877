import type { Logger } from 'pino';

/** Signals that start a graceful shutdown: SIGTERM (orchestrators, `docker stop`) and SIGINT (Ctrl-C). */
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Longest time the `onTimeout` step may take before the process exits anyway (milliseconds). */
const ON_TIMEOUT_LIMIT_MS = 5000;

/**
 * On the first SIGTERM or SIGINT, runs `shutdown` (stop taking work, finish what is in flight,
 * release connections) and exits with 0; exits with 1 if `shutdown` throws or has not finished
 * after `timeoutSeconds` (`SHUTDOWN_TIMEOUT_SECONDS`), after running `onTimeout`. A second signal during the shutdown is
 * ignored; the timeout bounds it.
 * @returns a function removing the signal listeners (tests).
 */
export function exitGracefullyOnSignal(
  shutdown: (signal: string) => Promise<void>,
  options: {
    timeoutSeconds: number;
    logger: Logger;
    /** Runs when the timeout is reached, before the exit (e.g. hand running jobs back); bounded by 5 s. */
    onTimeout?: () => Promise<unknown>;
    exit?: (code: number) => void;
  },
): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started = false;
  const onSignal = (signal: string) => {
    if (started) return;
    started = true;
    options.logger.info({ signal, timeoutSeconds: options.timeoutSeconds }, 'shutting down');
    const timer = setTimeout(() => {
      options.logger.error({ signal, timeoutSeconds: options.timeoutSeconds }, 'shutdown timed out: exiting with work in flight');
      const last = options.onTimeout?.().catch(() => undefined) ?? Promise.resolve();
      const cap = new Promise((resolve) => setTimeout(resolve, ON_TIMEOUT_LIMIT_MS));
      void Promise.race([last, cap]).then(() => exit(1));
    }, options.timeoutSeconds * 1000);
    timer.unref();
    shutdown(signal).then(
      () => {
        clearTimeout(timer);
        options.logger.info({ signal }, 'shut down');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        options.logger.error({ signal, error: error instanceof Error ? error.message : String(error) }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
  };
}
