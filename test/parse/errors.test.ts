// Syntax errors: one located, readable diagnostic per mistake, and recovery that keeps every readable member.
import { describe, expect, it } from "vitest";
import type { ArrayNode, ObjectNode, StringNode } from "../../src/ast.js";
import { assertValidSpan, codes, parse, parseBody, slice, valueOf } from "./helpers.js";

describe("single mistakes", () => {
  it("HYP1005: a missing `:` names the key and shows the fix, and the member is kept", () => {
    const { object, diagnostics, text } = parseBody('acks "all"\nretries: 3');
    expect(codes(diagnostics)).toEqual(["HYP1005"]);
    const d = diagnostics[0]!;
    expect(d.message).toBe('I expected a `:` after the key `acks`, but found the string `"all"`.');
    expect(d.help).toBe('Write `acks: "all"`.');
    expect(slice(text, d.span!)).toBe('"all"');
    expect(valueOf(object, "acks")).toMatchObject({ kind: "string", value: "all" });
    expect(valueOf(object, "retries")).toMatchObject({ kind: "number", value: 3 });
  });

  it("HYP1007: a bare word value says to quote it; the member keeps an ErrorNode", () => {
    const { object, diagnostics } = parseBody("acks: all\nretries: 3");
    expect(codes(diagnostics)).toEqual(["HYP1007"]);
    expect(diagnostics[0]!.help).toBe('Put it in double quotes: `acks: "all"`.');
    expect(valueOf(object, "acks").kind).toBe("error");
    expect(valueOf(object, "retries").kind).toBe("number");
  });

  it("HYP1007: suggests lower-case booleans for True/FALSE", () => {
    const { diagnostics } = parseBody("enabled: True");
    expect(diagnostics[0]!.help).toBe("Booleans are lower case: write `true`.");
  });

  it("HYP1006: a forgotten value does not swallow the next key", () => {
    const { object, diagnostics, text } = parseBody("acks:\nretries: 3");
    expect(codes(diagnostics)).toEqual(["HYP1006"]);
    expect(diagnostics[0]!.message).toBe("I expected a value after `acks:`, but found the key `retries`.");
    expect(slice(text, diagnostics[0]!.span!)).toBe("retries");
    expect(valueOf(object, "acks").kind).toBe("error");
    expect(valueOf(object, "retries")).toMatchObject({ kind: "number", value: 3 });
  });

  it("HYP1001: an unknown character, with a hint for `=`, and no follow-up error", () => {
    const { object, diagnostics, text } = parseBody('acks = "all"');
    expect(codes(diagnostics)).toEqual(["HYP1001"]);
    expect(slice(text, diagnostics[0]!.span!)).toBe("=");
    expect(diagnostics[0]!.help).toContain("`:`");
    expect(valueOf(object, "acks")).toMatchObject({ kind: "string", value: "all" });
  });

  it("HYP1002: an unterminated string is located and the rest of the file still parses", () => {
    const { object, diagnostics, text } = parseBody('a: "oops\nb: 2');
    expect(codes(diagnostics)).toEqual(["HYP1002"]);
    expect(slice(text, diagnostics[0]!.span!)).toBe('"oops');
    expect(valueOf(object, "b")).toMatchObject({ kind: "number", value: 2 });
  });

  it("HYP1002: a string ending in an escaped quote is unterminated", () => {
    const { diagnostics } = parseBody('a: "x\\"\nb: 1');
    expect(codes(diagnostics)).toEqual(["HYP1002"]);
  });

  it("HYP1003: each bad escape is located exactly", () => {
    const { diagnostics, text } = parseBody(String.raw`a: "x\qy\u12zz\u00e9"`);
    expect(codes(diagnostics)).toEqual(["HYP1003", "HYP1003"]);
    expect(diagnostics.map((d) => slice(text, d.span!))).toEqual(["\\q", "\\u12"]);
  });

  it("HYP1004: an unterminated block comment points at its start", () => {
    const { file, diagnostics } = parse("a { b: 1 }\n/* never closed\nc { d: 2 }");
    expect(codes(diagnostics)).toEqual(["HYP1004"]);
    expect(diagnostics[0]!.span).toMatchObject({ line: 2, column: 1, endColumn: 3 });
    expect(file.blocks.map((b) => b.name)).toEqual(["a"]);
  });

  it("HYP1008: single-quoted strings", () => {
    const { diagnostics } = parseBody("a: 'x'");
    expect(codes(diagnostics)).toEqual(["HYP1008"]);
    expect(diagnostics[0]!.help).toBe('Write `"x"`.');
  });

  it("HYP1009: stray text at the top level, then the next block is read", () => {
    const { file, diagnostics } = parse("a { x: 1 } } b { y: 2 }\nkey: 3\nc { z: 3 }");
    expect(codes(diagnostics)).toContain("HYP1009");
    expect(diagnostics[0]!.message).toContain("nothing is open to close");
    expect(file.blocks.map((b) => b.name)).toEqual(expect.arrayContaining(["a", "b", "c"]));
  });

  it("HYP1009: stray text before the first block (where Chevrotain gives up) is skipped, later blocks read", () => {
    const { file, diagnostics } = parse("} ] a { b: 1 } ] c { d: 2 }");
    expect(codes(diagnostics)).toEqual(["HYP1009", "HYP1009"]);
    expect(diagnostics.map((d) => d.span!.column)).toEqual([1, 16]);
    expect(file.blocks.map((b) => b.name)).toEqual(["a", "c"]);
  });

  it("HYP1009: members stranded at the top level by an early `}` are named as such, not read as blocks", () => {
    const { file, diagnostics } = parse("a { b: { c: 1 } } }\n  d: 2\n}\nf { g: 1 }");
    expect(codes(diagnostics)).toEqual(["HYP1009", "HYP1009"]);
    expect(diagnostics[1]!.message).toBe("`d:` starts a member, but it stands at the top level, outside any block.");
    expect(file.blocks.map((b) => b.name)).toEqual(["a", "f"]);
  });

  it("HYP1005: a block written with a `:` says top-level blocks have none", () => {
    const { file, diagnostics } = parse("messaging: { a: 1 }");
    expect(codes(diagnostics)).toEqual(["HYP1005"]);
    expect(diagnostics[0]!.help).toContain("Top-level blocks have no `:`");
    expect(file.blocks[0]!.body.members).toHaveLength(1);
  });

  it("HYP1005: an import without `;`", () => {
    const { file, diagnostics } = parse('mindLink "a.hyp"\nb { }');
    expect(codes(diagnostics)).toEqual(["HYP1005"]);
    expect(diagnostics[0]!.message).toContain("`;`");
    expect(file.imports.map((i) => i.path)).toEqual(["a.hyp"]);
    expect(file.blocks.map((b) => b.name)).toEqual(["b"]);
  });

  it("HYP1005: `env.` without a name", () => {
    const { diagnostics, object } = parseBody("a: env.\nb: 1");
    expect(codes(diagnostics)).toEqual(["HYP1005"]);
    expect(diagnostics[0]!.help).toContain("env.NAME");
    expect(valueOf(object, "b").kind).toBe("number");
  });

  it("HYP1011: numbers that cannot be represented", () => {
    const { diagnostics, object } = parseBody("a: 1e999\nb: 12345678901234567890\nc: 9007199254740991");
    expect(codes(diagnostics)).toEqual(["HYP1011", "HYP1011"]);
    expect(valueOf(object, "a").kind).toBe("error");
    expect(valueOf(object, "c")).toMatchObject({ kind: "number", value: 9007199254740991 });
  });

  it("HYP1012: an object never closed points at its `{`, and its members are kept", () => {
    const text = "messaging {\n  kafka: {\n    acks: \"all\"\n";
    const { file, diagnostics } = parse(text);
    expect(codes(diagnostics)).toEqual(["HYP1012"]);
    expect(diagnostics[0]!.span).toMatchObject({ line: 2, column: 10 });
    expect(diagnostics[0]!.secondary?.[0]?.span).toMatchObject({ start: text.trimEnd().length, end: text.trimEnd().length });
    const kafka = valueOf(file.blocks[0]!.body, "kafka") as ObjectNode;
    expect(valueOf(kafka, "acks")).toMatchObject({ kind: "string", value: "all" });
  });

  it("HYP1013: unexpected punctuation inside an object or array", () => {
    const { diagnostics, object } = parseBody("a: 1 ; b: [1 : 2]\nc: 3");
    expect(codes(diagnostics)).toEqual(["HYP1013", "HYP1013"]);
    expect(valueOf(object, "c").kind).toBe("number");
    expect((valueOf(object, "b") as ArrayNode).items.length).toBeGreaterThanOrEqual(1);
  });
});

describe("several mistakes in one file", () => {
  const text = [
    "messaging {",
    "  kafka: {",
    "    acks all",
    '    retries: "3',
    "    linger_ms: 5",
    "    compression_type: snappy",
    "  }",
    "  rabbitmq: {",
    "    host: 'localhost'",
    "    port: 5672 ;",
    '    virtual_host: "/x\\q"',
    "    heartbeat:",
    "  }",
    "}",
    "}",
    "events { e: 1 }",
  ].join("\n");

  it("reports every error, in source order, each at a valid position", () => {
    const { diagnostics } = parse(text);
    expect(codes(diagnostics)).toEqual(["HYP1005", "HYP1002", "HYP1007", "HYP1008", "HYP1013", "HYP1003", "HYP1006", "HYP1009"]);
    expect(diagnostics.map((d) => d.span!.line)).toEqual([3, 4, 6, 9, 10, 11, 13, 15]);
    for (const d of diagnostics) assertValidSpan(text, d.span!);
  });

  it("keeps every member that could be read", () => {
    const { file } = parse(text);
    const body = file.blocks[0]!.body;
    const kafka = valueOf(body, "kafka") as ObjectNode;
    expect(kafka.members.map((m) => m.key)).toEqual(["acks", "retries", "linger_ms", "compression_type"]);
    expect((valueOf(kafka, "retries") as StringNode).value).toBe("3");
    const rabbit = valueOf(body, "rabbitmq") as ObjectNode;
    expect(rabbit.members.map((m) => m.key)).toEqual(["host", "port", "virtual_host", "heartbeat"]);
    expect(file.blocks.map((b) => b.name)).toEqual(["messaging", "events"]);
  });
});

describe("hopeless input", () => {
  it("stops after 100 errors with HYP1090 instead of flooding", () => {
    const { diagnostics } = parse(`a {\n${"x: @\n".repeat(500)}}`);
    expect(diagnostics.filter((d) => d.severity === "error")).toHaveLength(100);
    expect(diagnostics[diagnostics.length - 1]!.code).toBe("HYP1090");
  });
});
