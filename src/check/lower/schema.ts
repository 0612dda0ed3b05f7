// Field types (src/spec/field-types.ts) → JSON Schema, and the envelope schema of each event.
//
// Decisions (docs/resolution.md):
//  - Only keywords that draft-07 and 2020-12 share (type, properties, required, items, enum, const,
//    format), and no `$schema`, so the default `new Ajv()` (draft-07) with ajv-formats compiles them.
//  - uuid → format uuid; timestamp → format date-time (RFC 3339); `?` fields are left out of `required`
//    (absent is fine; null is not).
//  - Tolerant reader: unknown payload and envelope properties are accepted (no additionalProperties:
//    false), so a producer may add an optional field before every consumer has upgraded; declared
//    fields that are missing or mistyped are rejected.
//  - `version` is any string (the declared one is stamped by producers), for the same reason.
import type { ObjectNode, ValueNode } from "../../ast.js";
import type { JsonSchema } from "@hypc/runtime";
import { readFieldType, type FieldType, type FieldTypeField } from "../../spec/field-types.js";

export function fieldTypeSchema(type: FieldType): Record<string, unknown> {
  switch (type.kind) {
    case "primitive":
      switch (type.name) {
        case "uuid":
          return { type: "string", format: "uuid" };
        case "timestamp":
          return { type: "string", format: "date-time" };
        default:
          return { type: type.name };
      }
    case "array":
      return type.items ? { type: "array", items: fieldTypeSchema(type.items) } : { type: "array" };
    case "enum":
      return { type: "string", enum: [...type.values] };
    case "object":
      return type.fields ? objectSchema(type.fields) : { type: "object" };
  }
}

export function objectSchema(fields: readonly FieldTypeField[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const f of fields) {
    properties[f.name] = fieldTypeSchema(f.type);
    if (!f.type.optional) required.push(f.name);
  }
  return { type: "object", properties, required };
}

/** The fields of an object literal of field types; invalid ones (reported by the structural checker) are left out. */
export function readFields(node: ObjectNode | undefined): FieldTypeField[] {
  if (!node) return [];
  const type = readFieldType(node);
  return type?.kind === "object" ? [...(type.fields ?? [])] : [];
}

function metadataFieldSchema(node: ValueNode | undefined, fallback: FieldType): Record<string, unknown> {
  const type = node ? readFieldType(node) : undefined;
  return fieldTypeSchema(type ?? fallback);
}

const uuid: FieldType = { kind: "primitive", name: "uuid", optional: false };
const timestamp: FieldType = { kind: "primitive", name: "timestamp", optional: false };

export function eventSchema(event: {
  eventType: string;
  name: string;
  payload: ObjectNode | undefined;
  metadata: ObjectNode | undefined;
}): JsonSchema {
  const meta = (key: string) => event.metadata?.members.find((m) => m.key === key)?.value;
  return {
    $id: `event:${event.eventType}`,
    title: event.name,
    type: "object",
    properties: {
      event_type: { const: event.eventType },
      version: { type: "string" },
      payload: objectSchema(readFields(event.payload)),
      metadata: {
        type: "object",
        properties: {
          message_id: metadataFieldSchema(meta("message_id"), uuid),
          source: { type: "string" },
          correlation_id: metadataFieldSchema(meta("correlation_id"), uuid),
          causation_id: metadataFieldSchema(meta("causation_id"), uuid),
          timestamp: metadataFieldSchema(meta("timestamp"), timestamp),
        },
        required: ["message_id", "source", "correlation_id", "causation_id", "timestamp"],
      },
    },
    required: ["event_type", "version", "payload", "metadata"],
  };
}

/** Schema of a request or reply body of a request-reply exchange (the object itself, no envelope). */
export function bodySchema(id: string, title: string, fields: ObjectNode | undefined): JsonSchema {
  return { $id: id, title, ...objectSchema(readFields(fields)) };
}
