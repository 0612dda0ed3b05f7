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

export function publishOptions(message: OutgoingMessage): Options.Publish {
  const headers: Record<string, string> = { ...message.headers };
  if (message.key !== undefined) headers[KEY_HEADER] = message.key;
  const correlationId = message.headers["x-correlation-id"];
  const replyTo = message.headers["x-reply-to"];
  return {
    persistent: true,
    contentType: "application/json",
    messageId: message.id,
    timestamp: Math.floor(Date.now() / 1000),
    headers,
    ...(correlationId === undefined ? {} : { correlationId }),
    ...(replyTo === undefined ? {} : { replyTo }),
  };
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
  if (headers["x-correlation-id"] === undefined && msg.properties.correlationId !== undefined) {
    headers["x-correlation-id"] = String(msg.properties.correlationId);
  }
  if (headers["x-reply-to"] === undefined && msg.properties.replyTo !== undefined) {
    headers["x-reply-to"] = String(msg.properties.replyTo);
  }
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
