// Our message <-> an AMQP 1.0 message. Body: one data section (the JSON envelope bytes, untouched).
// Headers: application-properties (string values). Key: AMQP group-id (Artemis message groups keep one
// consumer per key at a time). Id: message-id. durable=true so the broker journals it (survives a restart).
import rhea from "rhea";
import type { Message } from "rhea";
import type { OutgoingMessage } from "../../transport.js";

export function toAmqp(message: OutgoingMessage, ttlMs: number | undefined): Message {
  // Built field by field (no object spreads): this runs once per message on the publish hot path.
  const amqp: Message = {
    message_id: message.id,
    durable: true,
    content_type: "application/json",
    // rhea only reads it while encoding: no copy needed.
    application_properties: message.headers as Record<string, string>,
    body: rhea.message.data_section(message.body),
  };
  if (message.key !== undefined && message.key !== "") amqp.group_id = message.key;
  if (ttlMs !== undefined) amqp.ttl = ttlMs;
  return amqp;
}

export interface DecodedAmqp {
  readonly id: string | undefined;
  readonly key: string | undefined;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  readonly deliveryCount: number;
}

export function fromAmqp(message: Message): DecodedAmqp {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.application_properties ?? {})) {
    if (value !== undefined && value !== null) headers[name] = typeof value === "string" ? value : String(value);
  }
  const id = message.message_id === undefined ? undefined : String(message.message_id);
  const key = message.group_id ?? headers["hypc-key"];
  return {
    id,
    key,
    body: bodyBytes(message.body),
    headers,
    // AMQP delivery-count = failed attempts before this one.
    deliveryCount: (message.delivery_count ?? 0) + 1,
  };
}

/** Data sections come as Section objects; other clients may send an amqp-value string or object. */
function bodyBytes(body: unknown): Buffer {
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
