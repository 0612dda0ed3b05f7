// AWS SDK errors -> TransportError with `retriable` decided from the SDK's own classification
// (server faults, throttling, network failures retry; client faults such as a bad parameter do not).
import { TransportError } from "../../errors.js";

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $fault?: "client" | "server";
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const RETRIABLE_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "RequestThrottled",
  "KMSThrottlingException",
  "ServiceUnavailable",
  "InternalError",
  "InternalFailure",
  "TimeoutError",
  "RequestTimeout",
  "AbortError",
]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

export function isRetriable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as SdkErrorShape;
  if (e.$retryable !== undefined) return true;
  if (e.$fault === "server") return true;
  if (e.name !== undefined && RETRIABLE_NAMES.has(e.name)) return true;
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  // Undici/Node network errors carry the code on `cause`.
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isRetriable(cause);
}

export function transportError(
  what: string,
  error: unknown,
  details: { topic?: string; messageId?: string; retriable?: boolean } = {},
): TransportError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new TransportError(`aws: ${what}: ${reason}`, {
    retriable: details.retriable ?? isRetriable(error),
    cause: error,
    ...(details.topic !== undefined ? { topic: details.topic } : {}),
    ...(details.messageId !== undefined ? { messageId: details.messageId } : {}),
  });
}

export function isQueueMissing(error: unknown): boolean {
  const name = (error as SdkErrorShape | null)?.name ?? "";
  return name === "QueueDoesNotExist" || name === "AWS.SimpleQueueService.NonExistentQueue" || name === "NotFound";
}
