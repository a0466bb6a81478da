/** How fast the worker may go: exponential backoff for retries, and a rate ceiling per car park. */

export const DEFAULT_BACKOFF_BASE_MS = 1000;

/**
 * Delay before attempt `attempts + 1` after a retry outcome: base·2^(attempts−1), with up to 20% jitter
 * on top, never more than `capMs`. Never shorter than min(capMs, base·2^(attempts−1)).
 */
export function backoffDelay(attempts: number, baseMs: number, capMs: number, random: () => number): number {
  const nominal = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.min(capMs, Math.round(nominal * (1 + 0.2 * random())));
}

/** A token bucket per key (the park): at most `ratePerSecond` starts a second, bursts of at most that many. */
export function createRateLimiter() {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** 0 when a send may start now (and takes the token), or how many ms to wait. */
    take(key: string, ratePerSecond: number, now: number): number {
      const capacity = Math.max(1, ratePerSecond);
      const b = buckets.get(key) ?? { tokens: capacity, at: now };
      b.tokens = Math.min(capacity, b.tokens + ((now - b.at) * ratePerSecond) / 1000);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) * 1000) / ratePerSecond);
    },
  };
}
