/**
 * Small polling helpers shared by the dev/test start scripts.
 */

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface WaitForOptions {
  /** Give up after this many milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Pause between attempts in milliseconds (default 250). */
  intervalMs?: number;
  /** Human-readable name of the thing we wait for, used in the timeout error. */
  what?: string;
  /**
   * Checked before every attempt; if it returns an Error, waiting stops and that
   * error is thrown (e.g. "the child process exited").
   */
  abort?: () => Error | undefined;
}

/**
 * Call `fn` repeatedly until it returns a value other than `undefined`/`false`
 * (that value is returned) or the timeout expires. Exceptions thrown by `fn`
 * count as "not ready yet"; the last one is included in the timeout error so
 * the user sees *why* the thing never became ready.
 */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, opts: WaitForOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 250;
  const what = opts.what ?? 'condition';
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted) throw aborted;
    try {
      const result = await fn();
      if (result !== undefined && result !== false) return result as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}
