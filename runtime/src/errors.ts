// Errors carry `retriable` and `cause`, as kafkajs's do: the retry middleware asks `retriable`, never the
// message text. Every error names what it was about (message id, topic) so logs need no stack trace.

export interface HypcErrorDetails {
  readonly retriable?: boolean;
  readonly cause?: unknown;
  readonly topic?: string;
  readonly messageId?: string;
}

export class HypcError extends Error {
  readonly retriable: boolean;
  readonly topic: string | undefined;
  readonly messageId: string | undefined;

  constructor(message: string, details: HypcErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.retriable = details.retriable ?? false;
    this.topic = details.topic;
    this.messageId = details.messageId;
  }
}

/** Bad configuration found at start-up (missing env variable, unreachable setting). Never retriable. */
export class ConfigError extends HypcError {}

/** A broker operation failed (connect, publish, commit). Usually retriable. */
export class TransportError extends HypcError {}

/** A message or payload does not match its schema / limits. Never retriable: it goes to the DLQ. */
export class ValidationError extends HypcError {
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[], details: HypcErrorDetails = {}) {
    super(message, { ...details, retriable: false });
    this.problems = problems;
  }
}

/** A handler or a request exceeded its timeout. Retriable. */
export class TimeoutError extends HypcError {
  constructor(message: string, details: HypcErrorDetails = {}) {
    super(message, { retriable: true, ...details });
  }
}
