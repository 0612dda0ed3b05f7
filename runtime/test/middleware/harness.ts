// Builds Attempts over a recording ReceivedMessage, so a middleware's decisions (ack, nack + delay, DLQ publish,
// events) can be checked one by one. Broker behaviour itself is tested on the embedded broker elsewhere.
import { randomUUID } from "node:crypto";
import type { Envelope, InstrumentationEvent } from "../../src/api.js";
import { MessageAttempt } from "../../src/core/attempt.js";
import { InstrumentationHub } from "../../src/core/instrumentation.js";
import { compose, run, type Attempt, type Middleware, type PipelineServices } from "../../src/core/pipeline.js";
import type { NackOptions, ReceivedMessage } from "../../src/transport.js";
import { recordingLogger } from "../helpers.js";

export interface RecordedMessage extends ReceivedMessage {
  readonly acks: number;
  readonly nacks: NackOptions[];
}

export function envelope(eventType = "script.created", payload: unknown = { script_id: randomUUID() }): Envelope {
  const id = randomUUID();
  return { event_type: eventType, version: "1.0", payload, metadata: { message_id: id, source: "test", correlation_id: id, causation_id: id, timestamp: new Date().toISOString() } };
}

export function received(env: Envelope, options: { deliveryCount?: number; headers?: Record<string, string>; topic?: string; key?: string } = {}): RecordedMessage {
  const nacks: NackOptions[] = [];
  let acks = 0;
  return {
    topic: options.topic ?? "t",
    partition: 0,
    offset: "0",
    ...(options.key === undefined ? {} : { key: options.key }),
    body: Buffer.from(JSON.stringify(env)),
    headers: options.headers ?? {},
    id: env.metadata.message_id,
    deliveryCount: options.deliveryCount ?? 1,
    get acks() {
      return acks;
    },
    nacks,
    ack: async () => void acks++,
    nack: async (o?: NackOptions) => void nacks.push(o ?? {}),
  };
}

export function services(): PipelineServices & { events: InstrumentationEvent[]; logger: ReturnType<typeof recordingLogger> } {
  const events: InstrumentationEvent[] = [];
  const logger = recordingLogger();
  return { events, logger, instrumentation: new InstrumentationHub([{ onEvent: (e) => events.push(e) }], logger) };
}

export function attemptOf(message: ReceivedMessage, handler = "H", env?: Envelope): MessageAttempt {
  const e = env ?? (JSON.parse(message.body.toString("utf8")) as Envelope);
  return new MessageAttempt(message, e, handler, () => Promise.reject(new Error("publish not wired in this test")), new AbortController().signal);
}

/** `middleware` around `handler`, as a function of the attempt that resolves or rejects with the pipeline's end. */
export function through(middleware: Middleware | readonly Middleware[], handler: (attempt: Attempt) => Promise<void>): (attempt: Attempt) => Promise<void> {
  const step = compose(Array.isArray(middleware) ? middleware : [middleware as Middleware], handler);
  return (attempt) => new Promise<void>((resolve, reject) => run(step, attempt, (error) => (error === undefined ? resolve() : reject(error))));
}
