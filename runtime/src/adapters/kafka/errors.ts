// kafkajs errors carry `retriable` (KafkaJSError); ours keep it and add what the message was about.
import { TransportError } from "../../errors.js";

export function isRetriable(error: unknown): boolean {
  if (typeof error === "object" && error !== null && "retriable" in error) {
    return (error as { retriable: unknown }).retriable === true;
  }
  // Socket errors and timeouts that are not KafkaJSErrors: worth another try.
  return true;
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function transportError(what: string, error: unknown, details: { topic?: string; messageId?: string } = {}): TransportError {
  return new TransportError(`kafka: ${what}: ${describe(error)}`, { ...details, retriable: isRetriable(error), cause: error });
}
