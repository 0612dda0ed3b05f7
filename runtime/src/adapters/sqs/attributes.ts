// Our message (body + id + key + broker headers) <-> an SNS/SQS message (string body + message attributes).
//
// Headers travel as message attributes of DataType String, one per header, which the AWS CLI and other
// consumers read directly. SQS and SNS allow at most 10 attributes, names of [A-Za-z0-9_.-] and non-empty
// values: when the headers do not fit that, all of them travel as ONE JSON attribute `hypc-headers` instead.
// Bodies that are not valid SQS text (not UTF-8, control characters) travel base64-encoded.
import type { OutgoingMessage } from "../../transport.js";

export interface AttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
}
export type Attributes = Record<string, AttributeValue>;

const ID = "hypc-id";
const KEY = "hypc-key";
const HEADERS = "hypc-headers";
const ENCODING = "hypc-encoding";
const STRUCTURE = "hypc-structure";
const MAX_ATTRIBUTES = 10;

// Characters SQS accepts in bodies and attribute values.
const INVALID_TEXT = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const VALID_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;

const text = (value: string): AttributeValue => ({ DataType: "String", StringValue: value });

function validAttributeName(name: string): boolean {
  const lower = name.toLowerCase();
  return VALID_NAME.test(name) && !lower.startsWith("aws.") && !lower.startsWith("amazon.") && !lower.startsWith("hypc-");
}

function validText(value: string): boolean {
  return value.length > 0 && !INVALID_TEXT.test(value);
}

export interface EncodeOptions {
  /** Send headers as attributes (seed `sns.message_attributes`). */
  readonly withHeaders: boolean;
  /** Wrap the body as SNS MessageStructure "json" (`{"default": body}`). */
  readonly jsonStructure: boolean;
}

export interface Encoded {
  readonly body: string;
  readonly attributes: Attributes;
  /** Bytes the message counts against the 256 KiB batch limit (body + attribute names and values). */
  readonly size: number;
}

export function encodeMessage(message: OutgoingMessage, options: EncodeOptions): Encoded {
  const attributes: Attributes = { [ID]: text(message.id) };
  if (message.key !== undefined && message.key !== "") attributes[KEY] = text(message.key);

  let body = message.body.toString("utf8");
  // Decoding is lossless unless it replaced a malformed sequence with U+FFFD: only then compare the bytes
  // (a copy of the body per message otherwise).
  const lossless = !body.includes("\uFFFD") || Buffer.from(body, "utf8").equals(message.body);
  if (!lossless || INVALID_TEXT.test(body) || body === "") {
    body = message.body.toString("base64");
    attributes[ENCODING] = text("base64");
  }
  if (options.jsonStructure) {
    body = JSON.stringify({ default: body });
    attributes[STRUCTURE] = text("json");
  }

  if (options.withHeaders) {
    const entries = Object.entries(message.headers);
    const fitsOneByOne =
      Object.keys(attributes).length + entries.length <= MAX_ATTRIBUTES &&
      entries.every(([name, value]) => validAttributeName(name) && validText(value));
    if (fitsOneByOne) {
      for (const [name, value] of entries) attributes[name] = text(value);
    } else if (entries.length > 0) {
      attributes[HEADERS] = text(JSON.stringify(message.headers));
    }
  }
  let size = Buffer.byteLength(body, "utf8");
  for (const name in attributes) size += name.length + 6 + Buffer.byteLength(attributes[name]!.StringValue ?? "");
  return { body, attributes, size };
}

export interface Decoded {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  readonly id: string | undefined;
  readonly key: string | undefined;
}

export function decodeMessage(rawBody: string, attributes: Readonly<Record<string, { readonly StringValue?: string | undefined }>> | undefined): Decoded {
  const attrs = attributes ?? {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith("hypc-") || value.StringValue === undefined) continue;
    headers[name] = value.StringValue;
  }
  const packed = attrs[HEADERS]?.StringValue;
  if (packed !== undefined) Object.assign(headers, parseHeaders(packed));

  let body = rawBody;
  if (attrs[STRUCTURE]?.StringValue === "json") body = unwrapStructure(body);
  const bytes = attrs[ENCODING]?.StringValue === "base64" ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  return { body: bytes, headers, id: attrs[ID]?.StringValue, key: attrs[KEY]?.StringValue };
}

/**
 * Real SNS delivers the per-protocol value of a MessageStructure "json" message (already unwrapped);
 * emulators deliver the map itself. Unwrap only the map's exact shape.
 */
function unwrapStructure(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      const map = parsed as Record<string, unknown>;
      const keys = Object.keys(map);
      const sqs = map.sqs ?? map.default;
      if (keys.every((k) => k === "default" || k === "sqs") && typeof sqs === "string") return sqs;
    }
  } catch {
    // Not JSON: the per-protocol value itself.
  }
  return body;
}

function parseHeaders(json: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== "object" || parsed === null) return {};
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(parsed)) if (typeof value === "string") out[name] = value;
    return out;
  } catch {
    return {};
  }
}

/** Attribute names a receiver asks for: all of them (ours and the app's). */
export const ALL_ATTRIBUTES = ["All"];
