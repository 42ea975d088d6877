/**
 * Calls `check` every `intervalMs` until it returns a value other than `undefined`, or
 * `timeoutMs` passes. `onTick` sees each intermediate state (for progress displays).
 * @throws Error(`${what} did not finish within N s`) on timeout.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; onTick?: () => Promise<void> | void },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    await options.onTick?.();
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`${what} did not finish within ${Math.round(options.timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}
