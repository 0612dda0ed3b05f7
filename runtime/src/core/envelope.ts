// Building and reading the wire envelope {event_type, version, payload, metadata}.
import { randomUUID } from "node:crypto";
import type { Envelope, PublishOptions } from "../api.js";

export interface EnvelopeParent {
  readonly message_id: string;
  readonly correlation_id: string;
}

/**
 * A new envelope. correlation_id: explicit option, else the handled message's (propagation), else its own id
 * (a root message starts a flow). causation_id: explicit, else the handled message's id, else its own id.
 */
export function buildEnvelope(
  eventType: string,
  version: string,
  source: string,
  payload: unknown,
  options: PublishOptions | undefined,
  parent: EnvelopeParent | undefined,
): Envelope {
  const messageId = randomUUID();
  return {
    event_type: eventType,
    version,
    payload,
    metadata: {
      message_id: messageId,
      source,
      correlation_id: options?.correlationId ?? parent?.correlation_id ?? messageId,
      causation_id: options?.causationId ?? parent?.message_id ?? messageId,
      timestamp: isoNow(),
    },
  };
}

let lastMs = 0;
let lastIso = "";
/** ISO-8601 "now", formatted once per millisecond (many messages share a millisecond at high rates). */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

// Message bodies are cut from 64 KiB slabs: Buffer.from(string) allocates a new 8 KiB pool every ~20 messages of
// 400 bytes, and those allocations showed up in profiles. A slab lives while any body cut from it is referenced.
const SLAB_SIZE = 64 * 1024;
let slab = Buffer.allocUnsafe(SLAB_SIZE);
let slabOffset = 0;

/** The UTF-8 bytes of `text`, usually a view into a shared slab (never written to again). */
export function utf8Body(text: string): Buffer {
  const length = Buffer.byteLength(text, "utf8");
  if (length > SLAB_SIZE / 8) return Buffer.from(text, "utf8");
  if (slabOffset + length > SLAB_SIZE) {
    slab = Buffer.allocUnsafe(SLAB_SIZE);
    slabOffset = 0;
  }
  slab.write(text, slabOffset, length, "utf8");
  const body = slab.subarray(slabOffset, slabOffset + length);
  slabOffset += length;
  return body;
}

export type ParsedBody = { readonly ok: true; readonly envelope: Envelope } | { readonly ok: false; readonly reason: string };

/** Parses a body as an envelope; structural checks only (the schema validator checks the rest). */
export function parseEnvelope(body: Buffer): ParsedBody {
  let data: unknown;
  try {
    data = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { ok: false, reason: "body is not a JSON object" };
  const candidate = data as Partial<Envelope>;
  if (typeof candidate.event_type !== "string") return { ok: false, reason: "envelope has no string event_type" };
  const metadata = candidate.metadata as Partial<Envelope["metadata"]> | undefined;
  if (typeof metadata !== "object" || metadata === null || typeof metadata.message_id !== "string") {
    return { ok: false, reason: "envelope has no metadata.message_id" };
  }
  return { ok: true, envelope: data as Envelope };
}

/** Value of a (dotted) field path, e.g. `script_id` or `metadata.user.id`. */
export function fieldValue(data: unknown, path: string): unknown {
  if (!path.includes(".")) return typeof data === "object" && data !== null ? (data as Record<string, unknown>)[path] : undefined;
  let current: unknown = data;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
