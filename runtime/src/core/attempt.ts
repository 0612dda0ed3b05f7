// One delivery of one message to one handler slot: the pipeline's Attempt and the handler's HandlerContext in
// one object (one allocation per message on the hot path). The AbortSignal is created only if someone asks.
import type { Envelope, HandlerContext, PublishOptions, PublishResult } from "../api.js";
import type { ReceivedMessage } from "../transport.js";
import { Headers } from "./headers.js";
import type { Attempt } from "./pipeline.js";
import type { PublishParent } from "./publisher.js";
import { incomingTraceId, newSpanId, newTraceId, type TraceContext } from "./tracing.js";

export type PublishFrom = (parent: PublishParent, producer: string, eventType: string, payload: unknown, options?: PublishOptions) => Promise<PublishResult>;

export class MessageAttempt implements Attempt, HandlerContext, TraceContext {
  // Fields are `declare`d and assigned in the constructor: ES2022 field definitions cost an extra define per
  // field on this hot path. The attempt number and the trace context are computed on first use: a message
  // handled on its first try, by a handler that publishes nothing, with only counting observers, needs
  // neither, and computing them means reading the message's headers (for Kafka: decoding them) and drawing
  // random bytes for a span id.
  declare settled: boolean;
  /** Set by the consumer that runs the pipeline; without one (tests) a crash surfaces as an uncaught error. */
  declare onCrash: ((error: unknown) => void) | undefined;
  private declare attemptNumber: number;
  private declare incomingTrace: string | undefined;
  private declare ownSpan: string | undefined;
  private declare controller: AbortController | undefined;
  private declare abortReason: unknown;
  private declare aborted: boolean;
  declare readonly message: ReceivedMessage;
  declare readonly envelope: Envelope;
  declare readonly handler: string;
  private declare readonly publishFrom: PublishFrom;
  private declare readonly stopping: AbortSignal;

  constructor(message: ReceivedMessage, envelope: Envelope, handler: string, publishFrom: PublishFrom, stopping: AbortSignal) {
    this.message = message;
    this.envelope = envelope;
    this.handler = handler;
    this.publishFrom = publishFrom;
    this.stopping = stopping;
    this.settled = false;
    this.onCrash = undefined;
    this.attemptNumber = 0;
    this.incomingTrace = undefined;
    this.ownSpan = undefined;
    this.controller = undefined;
    this.abortReason = undefined;
    this.aborted = false;
  }

  /** 1 on the first attempt: the larger of the broker's delivery count and the x-hypc-attempt header. */
  get attempt(): number {
    if (this.attemptNumber === 0) {
      const attemptHeader = this.message.headers[Headers.attempt];
      const header = attemptHeader === undefined ? 1 : Number(attemptHeader);
      this.attemptNumber = Math.max(this.message.deliveryCount, Number.isFinite(header) && header > 0 ? header : 1);
    }
    return this.attemptNumber;
  }

  /** The handling of this message is a span of the sender's trace (the attempt is its own TraceContext). */
  get traceId(): string {
    return (this.incomingTrace ??= incomingTraceId(this.message.headers) ?? newTraceId());
  }
  get spanId(): string {
    return (this.ownSpan ??= newSpanId());
  }
  get baggage(): string | undefined {
    return this.message.headers[Headers.baggage];
  }

  get context(): HandlerContext {
    return this;
  }
  get trace(): TraceContext {
    return this;
  }
  get topic(): string {
    return this.message.topic;
  }
  get partition(): number {
    return this.message.partition;
  }
  get headers(): Readonly<Record<string, string>> {
    return this.message.headers;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
      else if (this.stopping.aborted) this.controller.abort(this.stopping.reason);
      else this.stopping.addEventListener("abort", () => this.abort(this.stopping.reason), { once: true });
    }
    return this.controller.signal;
  }

  crashed(error: unknown): void {
    if (this.onCrash !== undefined) this.onCrash(error);
    else
      queueMicrotask(() => {
        throw error;
      });
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  publish(producer: string, eventType: string, payload: unknown, options?: PublishOptions): Promise<PublishResult> {
    return this.publishFrom({ envelope: this.envelope.metadata, trace: this }, producer, eventType, payload, options);
  }
}
