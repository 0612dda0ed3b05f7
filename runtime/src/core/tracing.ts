// Trace context on broker headers: x-trace-id / x-span-id / x-correlation-id (+ baggage when configured).
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

/** Trace context of a received message (a new trace when it carries none). */
export function traceFromHeaders(headers: Readonly<Record<string, string>>): TraceContext {
  const baggage = headers[Headers.baggage];
  return {
    traceId: headers[Headers.traceId] ?? newTraceId(),
    spanId: headers[Headers.spanId] ?? newSpanId(),
    ...(baggage === undefined ? {} : { baggage }),
  };
}

/** Headers of an outgoing message: a child span of `parent` (or a new trace), plus correlation. */
export function outgoingTraceHeaders(
  tracing: MonitoringConfig["tracing"] | undefined,
  parent: TraceContext | undefined,
  correlationId: string,
  extra?: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = extra === undefined ? {} : { ...extra };
  headers[Headers.correlationId] = correlationId;
  if (tracing?.enabled !== false) {
    headers[Headers.traceId] = parent?.traceId ?? newTraceId();
    headers[Headers.spanId] = newSpanId();
    if (parent !== undefined) headers[Headers.parentSpanId] = parent.spanId;
    if (tracing?.trace_propagation.baggage === true && parent?.baggage !== undefined) headers[Headers.baggage] = parent.baggage;
  }
  return headers;
}
