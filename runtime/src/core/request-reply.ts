// Request-reply over publish/subscribe. Client: publishes the request envelope with the exchange's correlation
// header and a reply-to header, waits on ONE exclusive reply subscription per exchange (replies matched by
// correlation id), timeout + retry policy. Server: validates the request, runs the app's handler (with the
// exchange's timeout), validates the reply and publishes it to the reply-to topic; failures become error
// replies (the client rejects at once instead of waiting for its timeout).
import { randomUUID } from "node:crypto";
import type { Envelope, Logger, RequestHandler, RequestOptions, ValidatorMap } from "../api.js";
import { HypcError, TimeoutError, ValidationError } from "../errors.js";
import { categorize } from "../middleware/categorize.js";
import type { ResolvedRequestReply } from "../topology.js";
import type { ReceivedMessage, Subscription, Transport } from "../transport.js";
import { backoffDelay } from "./backoff.js";
import { buildEnvelope, parseEnvelope } from "./envelope.js";
import { Headers } from "./headers.js";
import type { InstrumentationHub } from "./instrumentation.js";
import { errorText } from "./pipeline.js";
import { defaultPropagation, incomingTraceId, newSpanId, newTraceId, outgoingTraceHeaders, type TraceContext, type TracePropagation } from "./tracing.js";
import { validateOrThrow } from "./validate.js";
import type { PublishFrom } from "./attempt.js";
import type { PublishParent } from "./publisher.js";

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class RequestClient {
  private subscription: Promise<Subscription> | undefined;
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    private readonly exchange: ResolvedRequestReply,
    private readonly transport: Transport,
    private readonly validators: ValidatorMap,
    private readonly instrumentation: InstrumentationHub,
    private readonly source: string,
    private readonly propagation: TracePropagation = defaultPropagation,
  ) {}

  async request(request: unknown, options: RequestOptions = {}): Promise<unknown> {
    const x = this.exchange;
    validateOrThrow(this.validators, `request:${x.name}`, request, `request to ${x.name}`, { topic: x.requestTopic });
    await this.listen();
    const correlationId = options.correlationId ?? randomUUID();
    const timeoutMs = options.timeout ?? x.timeout;
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.once(request, correlationId, timeoutMs, options.signal);
        this.instrumentation.onEvent({ kind: "request", exchange: x.name, latencyMs: performance.now() - started, outcome: "ok", attempts: attempt });
        return reply;
      } catch (error) {
        const retriable = error instanceof TimeoutError && options.signal?.aborted !== true;
        if (!retriable || attempt > x.retry.max_retries) {
          this.instrumentation.onEvent({ kind: "request", exchange: x.name, latencyMs: performance.now() - started, outcome: error instanceof TimeoutError ? "timeout" : "error", attempts: attempt });
          if (error instanceof TimeoutError) {
            throw new TimeoutError(`request to ${x.name} got no reply on ${x.replyTopic} after ${attempt} attempt(s) of ${timeoutMs} ms (correlation ${correlationId})`, { topic: x.requestTopic, cause: error });
          }
          throw error;
        }
        await sleep(backoffDelay(x.retry, attempt));
      }
    }
  }

  async close(): Promise<void> {
    for (const [id, waiter] of this.waiters) waiter.reject(new HypcError(`request ${id} to ${this.exchange.name} cancelled: the runtime is stopping`, { topic: this.exchange.requestTopic }));
    this.waiters.clear();
    const subscription = this.subscription;
    this.subscription = undefined;
    if (subscription !== undefined) await (await subscription).close();
  }

  private listen(): Promise<Subscription> {
    if (this.subscription === undefined) {
      const subscribing = this.transport.subscribe(
        { group: `${this.exchange.name}-replies`, topics: [this.exchange.replyTopic], concurrency: 64, exclusive: true, startFrom: "latest" },
        (m) => this.onReply(m),
      );
      this.subscription = subscribing;
      // A failed subscribe is not cached: the next request tries again.
      subscribing.catch(() => {
        if (this.subscription === subscribing) this.subscription = undefined;
      });
    }
    return this.subscription;
  }

  private once(request: unknown, correlationId: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<unknown> {
    const x = this.exchange;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(correlationId);
        reject(new TimeoutError(`no reply from ${x.name} within ${timeoutMs} ms`, { topic: x.replyTopic }));
      }, timeoutMs);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(correlationId);
        signal?.removeEventListener("abort", onAbort);
        fn();
      };
      const onAbort = () => done(() => reject(new HypcError(`request to ${x.name} aborted`, { topic: x.requestTopic, cause: signal?.reason })));
      if (signal?.aborted === true) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.set(correlationId, { resolve: (v) => done(() => resolve(v)), reject: (e) => done(() => reject(e)) });
      const envelope = buildEnvelope(`${x.name}.request`, "1.0", this.source, request, { correlationId }, undefined);
      // The exchange's correlation header and x-correlation-id pair the reply with this request whatever
      // trace_propagation lists; trace headers as it lists them.
      const headers = outgoingTraceHeaders(this.propagation, undefined, correlationId, { [x.correlationIdHeader]: correlationId, [Headers.replyTo]: x.replyTopic });
      headers[Headers.correlationId] = correlationId;
      this.transport
        .publish([{ topic: x.requestTopic, key: correlationId, body: Buffer.from(JSON.stringify(envelope)), headers, id: envelope.metadata.message_id }])
        .catch((error: unknown) => done(() => reject(error)));
    });
  }

  private async onReply(message: ReceivedMessage): Promise<void> {
    await message.ack();
    const x = this.exchange;
    const correlationId = message.headers[x.correlationIdHeader] ?? message.headers[Headers.correlationId];
    const waiter = correlationId === undefined ? undefined : this.waiters.get(correlationId);
    if (waiter === undefined) return; // another client's reply, or one that came after its timeout
    const parsed = parseEnvelope(message.body);
    if (!parsed.ok) return waiter.reject(new ValidationError(`reply from ${x.name} is not an envelope: ${parsed.reason}`, [parsed.reason], { topic: x.replyTopic }));
    const errorHeader = message.headers[Headers.replyError];
    if (errorHeader !== undefined) {
      const problem = parsed.envelope.payload as { message?: string; problems?: string[] } | undefined;
      const text = `${x.name} failed: ${problem?.message ?? "unknown error"}`;
      return waiter.reject(errorHeader === "validation_error" ? new ValidationError(text, problem?.problems ?? [], { topic: x.requestTopic }) : new HypcError(text, { topic: x.requestTopic, retriable: errorHeader === "timeout_error" }));
    }
    try {
      validateOrThrow(this.validators, `reply:${x.name}`, parsed.envelope.payload, `reply from ${x.name}`, { topic: x.replyTopic });
    } catch (error) {
      return waiter.reject(error);
    }
    waiter.resolve(parsed.envelope.payload);
  }
}

/** Subscribes the app's RequestHandler to the exchange's request topic. */
export async function serveRequests(
  exchange: ResolvedRequestReply,
  transport: Transport,
  handler: RequestHandler,
  deps: { validators: ValidatorMap; logger: Logger; source: string; stopping: AbortSignal; publishFrom: PublishFrom; concurrency?: number; propagation?: TracePropagation },
): Promise<Subscription> {
  const x = exchange;
  return transport.subscribe({ group: `${x.name}-server`, topics: [x.requestTopic], concurrency: deps.concurrency ?? 16 }, async (message) => {
    const correlationId = message.headers[x.correlationIdHeader] ?? message.headers[Headers.correlationId] ?? message.id;
    const replyTo = message.headers[Headers.replyTo] ?? x.replyTopic;
    // Handling the request is a span of the requester's trace; the reply and what the handler publishes are its children.
    const trace: TraceContext = { traceId: incomingTraceId(message.headers) ?? newTraceId(), spanId: newSpanId() };
    const reply = async (event: string, payload: unknown, errorCategory?: string) => {
      const envelope: Envelope = buildEnvelope(event, "1.0", deps.source, payload, { correlationId }, parsed.ok ? parsed.envelope.metadata : undefined);
      // The reply continues the request's trace (a new span, child of the handling span).
      const headers = outgoingTraceHeaders(deps.propagation ?? defaultPropagation, trace, correlationId, {
        [x.correlationIdHeader]: correlationId,
        ...(errorCategory === undefined ? {} : { [Headers.replyError]: errorCategory }),
      });
      headers[Headers.correlationId] = correlationId;
      await transport.publish([{ topic: replyTo, key: correlationId, body: Buffer.from(JSON.stringify(envelope)), headers, id: envelope.metadata.message_id }]);
    };
    const parsed = parseEnvelope(message.body);
    try {
      if (!parsed.ok) throw new ValidationError(`request to ${x.name} is not an envelope: ${parsed.reason}`, [parsed.reason], { topic: x.requestTopic, messageId: message.id });
      const request = parsed.envelope.payload;
      validateOrThrow(deps.validators, `request:${x.name}`, request, `request to ${x.name}`, { topic: x.requestTopic, messageId: message.id });
      const parent: PublishParent = { envelope: parsed.envelope.metadata, trace };
      const result = await withTimeout(x, handler, request, message, correlationId, deps, parent);
      validateOrThrow(deps.validators, `reply:${x.name}`, result, `reply of ${x.name}`, { topic: x.replyTopic, messageId: message.id });
      await reply(`${x.name}.reply`, result);
    } catch (error) {
      const category = categorize(error);
      deps.logger.warn(`request to ${x.name} failed: ${errorText(error)}`, { correlationId, category });
      const problems = error instanceof ValidationError ? error.problems : [];
      try {
        await reply(`${x.name}.error`, { message: errorText(error), category, problems }, category);
      } catch (publishError) {
        deps.logger.error(`cannot send the error reply of ${x.name}; request will be redelivered`, { correlationId, error: errorText(publishError) });
        await message.nack({ delayMs: 1000 });
        return;
      }
    }
    await message.ack();
  });
}

async function withTimeout(
  x: ResolvedRequestReply,
  handler: RequestHandler,
  request: unknown,
  message: ReceivedMessage,
  correlationId: string,
  deps: { stopping: AbortSignal; publishFrom: PublishFrom },
  parent: PublishParent,
): Promise<unknown> {
  const controller = new AbortController();
  const onStop = () => controller.abort(deps.stopping.reason);
  deps.stopping.addEventListener("abort", onStop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      handler(request, {
        topic: message.topic,
        partition: message.partition,
        headers: message.headers,
        attempt: message.deliveryCount,
        signal: controller.signal,
        publish: (producer, eventType, payload, options) => deps.publishFrom(parent, producer, eventType, payload, options),
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new TimeoutError(`${x.name} handler timed out after ${x.timeout} ms (correlation ${correlationId})`, { topic: x.requestTopic });
          controller.abort(error);
          reject(error);
        }, x.timeout);
      }),
    ]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    deps.stopping.removeEventListener("abort", onStop);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
