// Trace context on broker headers, as message_monitoring.tracing.trace_propagation names them: x-trace-id /
// x-span-id / x-correlation-id by default, W3C traceparent on request (+ baggage when configured).
// A consumed message's trace id is continued by everything its handler publishes; every send is a new span.
import { randomFillSync } from "node:crypto";
import type { MonitoringConfig } from "../topology.js";
import { Headers } from "./headers.js";

export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly baggage?: string;
}

// Ids come from a pool of random bytes refilled 8 KiB at a time: one crypto call per ~500 ids instead of one per
// id (randomBytes per message was the hottest spot of the publish path).
const pool = Buffer.alloc(8192);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString("hex", poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

export function newTraceId(): string {
  return randomHex(16);
}

export function newSpanId(): string {
  return randomHex(8);
}

const DEFAULT_HEADERS: readonly string[] = ["x-trace-id", "x-span-id", "x-correlation-id"];

/**
 * What this runtime writes on outgoing messages, decided once from the tracing block:
 *  - `x-trace-id` / `x-span-id` (+ `x-parent-span-id` for messages sent while handling one): our own headers;
 *  - `traceparent`: the W3C Trace Context header (`00-<trace id>-<span id>-01`), what OpenTelemetry
 *    instrumentations of Kafka/RabbitMQ clients read;
 *  - `x-correlation-id`: the envelope's correlation id (written even when tracing.enabled is false: it is
 *    messaging correlation, not a span).
 * Trace and span headers are written only when tracing.enabled; baggage only when trace_propagation.baggage.
 */
export interface TracePropagation {
  readonly traceId: boolean;
  readonly spanId: boolean;
  readonly traceparent: boolean;
  readonly correlationId: boolean;
  readonly baggage: boolean;
}

export function tracePropagation(tracing: MonitoringConfig["tracing"] | undefined): TracePropagation {
  const names = tracing?.trace_propagation.headers ?? DEFAULT_HEADERS;
  const enabled = tracing?.enabled !== false;
  return {
    traceId: enabled && names.includes(Headers.traceId),
    spanId: enabled && names.includes(Headers.spanId),
    traceparent: enabled && names.includes(Headers.traceparent),
    correlationId: names.includes(Headers.correlationId),
    baggage: enabled && tracing?.trace_propagation.baggage === true,
  };
}

/** The default propagation (no tracing block): x-trace-id, x-span-id, x-correlation-id. */
export const defaultPropagation: TracePropagation = tracePropagation(undefined);

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}/;

/** The trace id a received message carries: x-trace-id, else the one in a W3C traceparent header. */
export function incomingTraceId(headers: Readonly<Record<string, string>>): string | undefined {
  const own = headers[Headers.traceId];
  if (own !== undefined) return own;
  const w3c = headers[Headers.traceparent];
  return w3c === undefined ? undefined : TRACEPARENT.exec(w3c)?.[1];
}

/** The sender's span: x-span-id, else the parent id of a W3C traceparent header. */
export function incomingSpanId(headers: Readonly<Record<string, string>>): string | undefined {
  const own = headers[Headers.spanId];
  if (own !== undefined) return own;
  const w3c = headers[Headers.traceparent];
  return w3c === undefined ? undefined : TRACEPARENT.exec(w3c)?.[2];
}

/** Trace context of a received message (a new trace when it carries none). */
export function traceFromHeaders(headers: Readonly<Record<string, string>>): TraceContext {
  const baggage = headers[Headers.baggage];
  return {
    traceId: incomingTraceId(headers) ?? newTraceId(),
    spanId: incomingSpanId(headers) ?? newSpanId(),
    ...(baggage === undefined ? {} : { baggage }),
  };
}

/** Headers of an outgoing message: a child span of `parent` (or a new trace), plus correlation. */
export function outgoingTraceHeaders(
  propagation: TracePropagation,
  parent: TraceContext | undefined,
  correlationId: string,
  extra?: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = extra === undefined ? {} : { ...extra };
  if (propagation.correlationId) headers[Headers.correlationId] = correlationId;
  if (propagation.traceId || propagation.spanId || propagation.traceparent) {
    const traceId = parent?.traceId ?? newTraceId();
    const spanId = newSpanId();
    if (propagation.traceId) headers[Headers.traceId] = traceId;
    if (propagation.spanId) {
      headers[Headers.spanId] = spanId;
      if (parent !== undefined) headers[Headers.parentSpanId] = parent.spanId;
    }
    if (propagation.traceparent) headers[Headers.traceparent] = `00-${traceId}-${spanId}-01`;
  }
  if (propagation.baggage && parent?.baggage !== undefined) headers[Headers.baggage] = parent.baggage;
  return headers;
}
