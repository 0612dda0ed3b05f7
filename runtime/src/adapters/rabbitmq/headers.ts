// How a Transport message maps to an AMQP 0-9-1 message and back (documented in docs/brokers/rabbitmq.md,
// "Wire mapping"). Headers of our own carry what AMQP properties cannot survive: the key (the routing key
// is replaced by the queue name when a retry goes through the default exchange) and the delivery count
// (classic queues count nothing; since 3.13/4.0 x-* headers belong to the broker, so ours have no x- prefix).
import { randomUUID } from "node:crypto";
import type { ConsumeMessage, Options } from "amqplib";
import type { OutgoingMessage } from "../../transport.js";

export const KEY_HEADER = "hypc-key";
export const DELIVERY_COUNT_HEADER = "hypc-delivery-count";
export const TOPIC_HEADER = "hypc-topic";

const INTERNAL = new Set([KEY_HEADER, DELIVERY_COUNT_HEADER, TOPIC_HEADER]);
// Transport header names carried in AMQP properties instead of the headers table (core/headers.ts names them).
const CORRELATION_ID = "x-correlation-id";
const REPLY_TO = "x-reply-to";
const EVENT_TYPE = "x-hypc-event-type";

/**
 * AMQP properties of an outgoing message. What AMQP has a property for travels there, not in the headers table:
 * correlation id, reply-to and event type (`type`), and the key as the routing key. Every header-table entry
 * costs amqplib ~2 µs to encode and the broker more to parse (measured: 5 headers took publish-with-confirms
 * from ~9.5k to ~6.8k msg/s on a 2-core machine), so the table holds only what has no property (trace context,
 * reasons). `decode` maps the properties back to the same header names.
 */
export function publishOptions(message: OutgoingMessage): Options.Publish {
  let headers: Record<string, string> | undefined;
  let correlationId: string | undefined;
  let replyTo: string | undefined;
  let type: string | undefined;
  for (const name in message.headers) {
    const value = message.headers[name]!;
    if (name === CORRELATION_ID) correlationId = value;
    else if (name === REPLY_TO) replyTo = value;
    else if (name === EVENT_TYPE) type = value;
    else (headers ??= {})[name] = value;
  }
  // The routing key carries the key; the header only where it cannot (see routingKey).
  if (message.key !== undefined && routingKey(message) === "") (headers ??= {})[KEY_HEADER] = message.key;
  const options: Options.Publish = { persistent: true, contentType: "application/json", messageId: message.id, timestamp: Math.floor(Date.now() / 1000) };
  if (headers !== undefined) options.headers = headers;
  if (correlationId !== undefined) options.correlationId = correlationId;
  if (replyTo !== undefined) options.replyTo = replyTo;
  if (type !== undefined) options.type = type;
  return options;
}

/**
 * The routing key of a message: its key, unless the key cannot be one (AMQP short strings hold up to 255 bytes;
 * "" is "no key" for a reader of the routing key). Those keys travel in the `hypc-key` header only.
 */
export function routingKey(message: OutgoingMessage): string {
  const key = message.key;
  if (key === undefined || key === "") return "";
  // ≤ 85 UTF-16 units are ≤ 255 UTF-8 bytes: no byte count needed for the usual key.
  return key.length <= 85 || Buffer.byteLength(key, "utf8") <= 255 ? key : "";
}

/** Options of the copy a nack re-publishes: same properties, headers extended, delivery count + 1. */
export function retryOptions(
  original: ConsumeMessage,
  topic: string,
  deliveryCount: number,
  extraHeaders: Readonly<Record<string, string>> | undefined,
): Options.Publish {
  const p = original.properties;
  const headers: Record<string, unknown> = { ...(p.headers ?? {}), ...(extraHeaders ?? {}) };
  delete headers["x-death"]; // broker bookkeeping of the delay queue; grows with every retry otherwise
  headers[DELIVERY_COUNT_HEADER] = String(deliveryCount + 1);
  headers[TOPIC_HEADER] = topic;
  if (headers[KEY_HEADER] === undefined && original.fields.routingKey !== "" && original.fields.exchange === topic) {
    headers[KEY_HEADER] = original.fields.routingKey;
  }
  return {
    persistent: true,
    headers,
    ...(p.contentType === undefined ? {} : { contentType: p.contentType }),
    ...(p.messageId === undefined ? {} : { messageId: String(p.messageId) }),
    ...(p.correlationId === undefined ? {} : { correlationId: String(p.correlationId) }),
    ...(p.replyTo === undefined ? {} : { replyTo: String(p.replyTo) }),
    ...(p.timestamp === undefined ? {} : { timestamp: p.timestamp as number }),
    ...(p.type === undefined || p.type === null ? {} : { type: String(p.type) }),
  };
}

export interface DecodedMessage {
  readonly key: string | undefined;
  readonly id: string;
  readonly headers: Record<string, string>;
  readonly deliveryCount: number;
}

export function decode(msg: ConsumeMessage, topic: string): DecodedMessage {
  const raw = msg.properties.headers ?? {};
  const headers: Record<string, string> = {};
  for (const name in raw) {
    const value: unknown = raw[name];
    if (value === undefined || value === null || INTERNAL.has(name)) continue;
    headers[name] = typeof value === "string" ? value : headerString(value);
  }
  const keyHeader = raw[KEY_HEADER];
  // A plain publisher's routing key is its key (the topic exchange routes by it).
  const key =
    keyHeader !== undefined && keyHeader !== null
      ? headerString(keyHeader)
      : msg.fields.exchange === topic && msg.fields.routingKey !== ""
        ? msg.fields.routingKey
        : undefined;
  const stored = Number(headerString(raw[DELIVERY_COUNT_HEADER] ?? "1"));
  const base = Number.isFinite(stored) && stored >= 1 ? stored : 1;
  // The broker requeued it (consumer or connection gone before ack): one more delivery than recorded.
  const deliveryCount = base + (msg.fields.redelivered ? 1 : 0);
  const p = msg.properties;
  if (headers[CORRELATION_ID] === undefined && p.correlationId !== undefined && p.correlationId !== null) headers[CORRELATION_ID] = String(p.correlationId);
  if (headers[REPLY_TO] === undefined && p.replyTo !== undefined && p.replyTo !== null) headers[REPLY_TO] = String(p.replyTo);
  if (headers[EVENT_TYPE] === undefined && p.type !== undefined && p.type !== null) headers[EVENT_TYPE] = String(p.type);
  const id = msg.properties.messageId !== undefined ? String(msg.properties.messageId) : randomUUID();
  return { key, id, headers, deliveryCount };
}

function headerString(value: unknown): string {
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  // AMQP typed values ({ "!": "long", value }) and tables (x-death) keep their information as JSON.
  if (typeof value === "object" && value !== null && "value" in value && "!" in value) return headerString((value as { value: unknown }).value);
  return JSON.stringify(value);
}
