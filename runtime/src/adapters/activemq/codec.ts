// Our message <-> an AMQP 1.0 message. Body: one data section (the JSON envelope bytes, untouched).
// Key: AMQP group-id (Artemis message groups keep one consumer per key at a time). Id: message-id.
// durable=true so the broker journals it (survives a restart). Headers: what AMQP has a property for travels
// there (x-correlation-id -> correlation-id, x-reply-to -> reply-to, x-hypc-event-type -> subject), the rest as
// application-properties (string values); headersOf maps the properties back to the same header names. Every
// application-property is a map entry rhea encodes and decodes on both ends and the broker parses.
import rhea from "rhea";
import type { Message } from "rhea";
import type { OutgoingMessage } from "../../transport.js";

const CORRELATION_ID = "x-correlation-id";
const REPLY_TO = "x-reply-to";
const EVENT_TYPE = "x-hypc-event-type";

export function toAmqp(message: OutgoingMessage, ttlMs: number | undefined): Message {
  // Built field by field (no object spreads): this runs once per message on the publish hot path.
  const amqp: Message = { message_id: message.id, durable: true, content_type: "application/json", body: rhea.message.data_section(message.body) };
  let properties: Record<string, string> | undefined;
  for (const name in message.headers) {
    const value = message.headers[name]!;
    if (name === CORRELATION_ID) amqp.correlation_id = value;
    else if (name === REPLY_TO) amqp.reply_to = value;
    else if (name === EVENT_TYPE) amqp.subject = value;
    else (properties ??= {})[name] = value;
  }
  if (properties !== undefined) amqp.application_properties = properties;
  if (message.key !== undefined && message.key !== "") amqp.group_id = message.key;
  if (ttlMs !== undefined) amqp.ttl = ttlMs;
  return amqp;
}

// The receiving side, part by part: a delivery decodes each part only when it is read
// (subscriber.ts, AmqpDelivery).

/** Our headers: the application properties (as strings) and the AMQP properties that stand for headers. */
export function headersOf(message: Message): Record<string, string> {
  const headers: Record<string, string> = {};
  const properties = message.application_properties as Record<string, unknown> | undefined;
  for (const name in properties) {
    const value = properties[name];
    if (value !== undefined && value !== null) headers[name] = typeof value === "string" ? value : String(value);
  }
  if (message.correlation_id !== undefined && message.correlation_id !== null && headers[CORRELATION_ID] === undefined) headers[CORRELATION_ID] = String(message.correlation_id);
  if (typeof message.reply_to === "string" && headers[REPLY_TO] === undefined) headers[REPLY_TO] = message.reply_to;
  if (typeof message.subject === "string" && headers[EVENT_TYPE] === undefined) headers[EVENT_TYPE] = message.subject;
  return headers;
}

export function idOf(message: Message): string | undefined {
  return message.message_id === undefined ? undefined : String(message.message_id);
}

/** The group-id, else a `hypc-key` application property (`headers`: headersOf(message), when already made). */
export function keyOf(message: Message, headers?: Readonly<Record<string, string>>): string | undefined {
  if (message.group_id !== undefined) return message.group_id;
  const key = headers === undefined ? message.application_properties?.["hypc-key"] : headers["hypc-key"];
  return key === undefined || key === null ? undefined : String(key);
}

/** Deliveries so far, this one included (AMQP delivery-count = failed attempts before this one). */
export function deliveryCountOf(message: Message): number {
  return (message.delivery_count ?? 0) + 1;
}

/** Data sections come as Section objects; other clients may send an amqp-value string or object. */
export function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (typeof body === "object" && body !== null) {
    const section = body as { typecode?: number; content?: unknown };
    if (section.typecode === 0x75 && Buffer.isBuffer(section.content)) return section.content;
    if (section.typecode === 0x77 && typeof section.content === "string") return Buffer.from(section.content, "utf8");
    if (body instanceof Uint8Array) return Buffer.from(body);
    return Buffer.from(JSON.stringify(body), "utf8");
  }
  return Buffer.alloc(0);
}
