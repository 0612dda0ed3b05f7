// Error → DLQ category. Validation problems are the sender's fault; timeouts are slow handlers; the rest is system.
import type { ErrorCategory } from "../topology.js";
import { TimeoutError, ValidationError } from "../errors.js";

export function categorize(error: unknown): ErrorCategory {
  if (error instanceof ValidationError) return "validation_error";
  if (error instanceof TimeoutError) return "timeout_error";
  return "system_error";
}

/** App errors are retriable unless they say otherwise (`retriable: false`); ValidationErrors never are. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof ValidationError) return false;
  if (typeof error === "object" && error !== null && "retriable" in error) return (error as { retriable: unknown }).retriable !== false;
  return true;
}
