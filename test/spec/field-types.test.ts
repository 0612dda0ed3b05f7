import { describe, expect, it } from "vitest";
import { formatFieldType, parseFieldType } from "../../src/spec/field-types.js";

describe("parseFieldType", () => {
  it.each(["uuid", "string", "timestamp", "integer", "number", "boolean"])("reads the primitive %s", (name) => {
    expect(parseFieldType(name)).toEqual({ ok: true, type: { kind: "primitive", name, optional: false } });
  });

  it("reads bare object and array as unconstrained", () => {
    expect(parseFieldType("object")).toEqual({ ok: true, type: { kind: "object", optional: false } });
    expect(parseFieldType("array")).toEqual({ ok: true, type: { kind: "array", optional: false } });
  });

  it("reads optional types", () => {
    expect(parseFieldType("string?")).toEqual({ ok: true, type: { kind: "primitive", name: "string", optional: true } });
    expect(parseFieldType("array<uuid>?")).toMatchObject({ ok: true, type: { kind: "array", optional: true } });
  });

  it("reads typed and nested arrays", () => {
    expect(parseFieldType("array<uuid>")).toEqual({
      ok: true,
      type: { kind: "array", optional: false, items: { kind: "primitive", name: "uuid", optional: false } },
    });
    const nested = parseFieldType("array<array<integer>>");
    expect(nested.ok && formatFieldType(nested.type)).toBe("array<array<integer>>");
  });

  it("reads enums", () => {
    expect(parseFieldType("enum<ok|failed|timeout>")).toEqual({ ok: true, type: { kind: "enum", values: ["ok", "failed", "timeout"], optional: false } });
    expect(parseFieldType("enum< a | b >?")).toEqual({ ok: true, type: { kind: "enum", values: ["a", "b"], optional: true } });
  });

  it("suggests the closest type for a typo", () => {
    const result = parseFieldType("uuidd");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toContain("uuidd");
      expect(result.error.suggestions[0]).toBe("uuid");
    }
    const optional = parseFieldType("strng?");
    expect(!optional.ok && optional.error.suggestions[0]).toBe("string?");
  });

  it("suggests inside arrays and for unknown generic heads", () => {
    const inner = parseFieldType("array<uid>");
    expect(!inner.ok && inner.error.suggestions[0]).toBe("array<uuid>");
    const head = parseFieldType("arrray<uuid>");
    expect(!head.ok && head.error.suggestions[0]).toBe("array<uuid>");
  });

  it.each([
    ["", "empty"],
    ["array<string?>", "cannot be optional"],
    ["enum<a||b>", "empty"],
    ["enum<a|a>", "twice"],
    ["array<uuid", "do not match"],
    ["list<uuid>", "not a type"],
  ])("rejects %j (%s)", (text, reason) => {
    const result = parseFieldType(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toContain(reason);
  });

  it("formats what it parses back to the same text", () => {
    for (const text of ["uuid", "string?", "array", "object?", "array<timestamp>", "enum<x|y>?", "array<array<boolean>>?"]) {
      const result = parseFieldType(text);
      expect(result.ok && formatFieldType(result.type)).toBe(text);
    }
  });
});
