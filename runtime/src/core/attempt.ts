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
  settled = false;
  readonly attempt: number;
  /** The handling of this message is a span of the sender's trace (the attempt is its own TraceContext). */
  readonly traceId: string;
  readonly spanId: string;
  readonly baggage?: string;
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private aborted = false;

  constructor(
    readonly message: ReceivedMessage,
    readonly envelope: Envelope,
    readonly handler: string,
    private readonly publishFrom: PublishFrom,
    private readonly stopping: AbortSignal,
  ) {
    const h = message.headers;
    const attemptHeader = h[Headers.attempt];
    const header = attemptHeader === undefined ? 1 : Number(attemptHeader);
    this.attempt = Math.max(message.deliveryCount, Number.isFinite(header) && header > 0 ? header : 1);
    this.traceId = incomingTraceId(h) ?? newTraceId();
    this.spanId = newSpanId();
    const baggage = h[Headers.baggage];
    if (baggage !== undefined) this.baggage = baggage;
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
