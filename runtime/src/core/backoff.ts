// Delay before retry number `retry` (1-based) of a RetryPolicy, and a small retry loop for the publish path.
import type { RetryPolicy } from "../topology.js";

export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const n = Math.max(1, retry);
  let delay: number;
  switch (policy.backoff_strategy) {
    case "exponential":
      delay = policy.initial_delay * Math.pow(policy.multiplier > 0 ? policy.multiplier : 2, n - 1);
      break;
    case "linear":
      delay = policy.initial_delay * n;
      break;
    case "fixed":
      delay = policy.initial_delay;
      break;
  }
  if (policy.max_delay > 0) delay = Math.min(delay, policy.max_delay);
  if (policy.jitter > 0) delay = delay * (1 + policy.jitter * (2 * random() - 1));
  return Math.max(0, Math.round(delay));
}

export const DEFAULT_RETRY: RetryPolicy = {
  max_retries: 3,
  backoff_strategy: "exponential",
  initial_delay: 1000,
  max_delay: 30_000,
  multiplier: 2,
  jitter: 0,
};

/** Runs `attempt` until it succeeds, the error is not retriable, or `policy.max_retries` retries are spent. */
export async function retrying<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>, onRetry?: (error: unknown, n: number, delayMs: number) => void): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const retriable = typeof error === "object" && error !== null && (error as { retriable?: unknown }).retriable === true;
      if (!retriable || n > policy.max_retries) throw error;
      const delay = backoffDelay(policy, n);
      onRetry?.(error, n, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
