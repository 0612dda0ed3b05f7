// JSON text of an envelope made by buildEnvelope, written by hand around JSON.stringify(payload).
// Why: on Node 20 JSON.stringify of the whole ~390-byte envelope cost ~2 µs per message, the largest single item of
// the publish path; most of it is the fixed part (keys, the ids, the timestamp), which needs no escaping here.
// The output is byte-for-byte what JSON.stringify(envelope) gives (same keys, same order; test/core/envelope-json).
// Only for envelopes fresh from buildEnvelope (exactly these keys, in this order) that validators did not change
// (ajv validators as hypc emits them never add or remove properties).
import type { Envelope } from "../api.js";

// Message ids are randomUUID()s and timestamps ISO-8601 strings: nothing in them needs escaping.
const UUID_OR_ISO = /^[0-9A-Za-z:.+-]*$/;

/** Quoted JSON string of `value`: plain quotes for id-like text, JSON.stringify otherwise (undefined if not JSON). */
function quoted(value: unknown): string | undefined {
  if (typeof value === "string" && value.length <= 64 && UUID_OR_ISO.test(value)) return `"${value}"`;
  return JSON.stringify(value);
}

/** Cached `{"event_type":…,"version":…,"payload":` prefixes by event type and version (a few per app). */
const heads = new Map<string, Map<string, string>>();

function head(eventType: string, version: string): string {
  let byVersion = heads.get(eventType);
  if (byVersion === undefined) heads.set(eventType, (byVersion = new Map()));
  let text = byVersion.get(version);
  if (text === undefined) {
    text = `{"event_type":${JSON.stringify(eventType)},"version":${JSON.stringify(version)},"payload":`;
    if (heads.size < 1024 && byVersion.size < 64) byVersion.set(version, text); // bounded: types come from the topology
  }
  return text;
}

/** JSON.stringify(envelope) for an envelope built by buildEnvelope. */
export function builtEnvelopeJson(envelope: Envelope): string {
  const m = envelope.metadata;
  const payload = JSON.stringify(envelope.payload);
  if (typeof envelope.event_type !== "string" || typeof envelope.version !== "string" || payload === undefined) return JSON.stringify(envelope);
  // message_id (randomUUID) and timestamp (toISOString) are made by buildEnvelope: never anything to escape.
  const id = typeof m.message_id === "string" ? `"${m.message_id}"` : undefined;
  const source = quoted(m.source);
  const correlation = m.correlation_id === m.message_id ? id : quoted(m.correlation_id);
  const causation = m.causation_id === m.message_id ? id : quoted(m.causation_id);
  const timestamp = typeof m.timestamp === "string" ? `"${m.timestamp}"` : undefined;
  if (id === undefined || source === undefined || correlation === undefined || causation === undefined || timestamp === undefined) return JSON.stringify(envelope);
  return `${head(envelope.event_type, envelope.version)}${payload},"metadata":{"message_id":${id},"source":${source},"correlation_id":${correlation},"causation_id":${causation},"timestamp":${timestamp}}}`;
}
