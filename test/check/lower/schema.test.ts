import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { parseFieldType } from "../../../src/spec/field-types.js";
import { fieldTypeSchema } from "../../../src/check/lower/schema.js";
import { check } from "../semantic/helpers.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schemaOf = (text: string) => {
  const parsed = parseFieldType(text);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return fieldTypeSchema(parsed.type);
};

describe("field types to JSON Schema", () => {
  it("maps every primitive", () => {
    expect(schemaOf("uuid")).toEqual({ type: "string", format: "uuid" });
    expect(schemaOf("timestamp")).toEqual({ type: "string", format: "date-time" });
    expect(schemaOf("string")).toEqual({ type: "string" });
    expect(schemaOf("integer")).toEqual({ type: "integer" });
    expect(schemaOf("number")).toEqual({ type: "number" });
    expect(schemaOf("boolean")).toEqual({ type: "boolean" });
    expect(schemaOf("object")).toEqual({ type: "object" });
    expect(schemaOf("array")).toEqual({ type: "array" });
  });

  it("maps typed arrays, enums and nesting", () => {
    expect(schemaOf("array<array<uuid>>")).toEqual({ type: "array", items: { type: "array", items: { type: "string", format: "uuid" } } });
    expect(schemaOf("enum<low|high>?")).toEqual({ type: "string", enum: ["low", "high"] });
  });

  it("builds payloads with nested objects and optional fields that ajv enforces", () => {
    const r = check(`events {
  G: {
    Moved: {
      event_type: "thing.moved"
      payload: {
        id: "uuid"
        tags: "array<string>"
        level: "enum<low|high>"
        note: "string?"
        address: { street: "string", zip: "string?" }
      }
    }
  }
}`);
    const schema = r.topology!.events[0]!.schema;
    const payload = (schema["properties"] as Record<string, Record<string, unknown>>)["payload"];
    expect(payload?.["required"]).toEqual(["id", "tags", "level", "address"]);
    const validate = addFormats(new Ajv()).compile(schema);
    const id = "0b6f8a4e-8a5e-4b8e-9d55-1c7e7b6f0a11";
    const envelope = (payload: unknown) => ({
      event_type: "thing.moved",
      version: "1.0",
      payload,
      metadata: { message_id: id, source: "s", correlation_id: id, causation_id: id, timestamp: "2026-11-26T10:00:00.000Z" },
    });
    expect(validate(envelope({ id, tags: ["a"], level: "low", address: { street: "Main" } }))).toBe(true);
    expect(validate(envelope({ id, tags: ["a"], level: "mid", address: { street: "Main" } }))).toBe(false);
    expect(validate(envelope({ id, tags: [1], level: "low", address: { street: "Main" } }))).toBe(false);
    expect(validate(envelope({ id, tags: [], level: "low", address: { zip: "1" } }))).toBe(false);
    expect(validate(envelope({ id, tags: [], level: "low", note: null, address: { street: "x" } }))).toBe(false);
    expect(validate({ ...envelope({ id, tags: [], level: "low", address: { street: "x" } }), metadata: { source: "s" } })).toBe(false);
  });
});
