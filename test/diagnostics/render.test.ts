import { describe, expect, it } from "vitest";
import type { Span } from "../../src/ast.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { renderFrame, renderFrames, summaryLine, wantsColor } from "../../src/diagnostics/render-frame.js";
import { renderJson } from "../../src/diagnostics/render-json.js";

const source = 'messaging {\n  kafka: {\n    producer: { ack: "all" }\n  }\n}\n';
const other = "messaging {\n\tport: 1\n}\n";
const sources = new Map([
  ["a.hyp", source],
  ["b.hyp", other],
]);

function span(file: string, text: string, needle: string, line: number): Span {
  const start = text.indexOf(needle);
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const column = start - lineStart + 1;
  return { file, start, end: start + needle.length, line, column, endLine: line, endColumn: column + needle.length };
}

const unknownKey: Diagnostic = {
  code: "HYP2002",
  severity: "error",
  message: "I do not know the key `ack` in `messaging.kafka.producer`.",
  span: span("a.hyp", source, "ack", 3),
  label: "unknown key",
  help: "Rename it to `acks`, or remove it.",
  suggestions: ["acks"],
};

describe("renderFrame", () => {
  it("prints location, code, source line, carets, label, help and suggestions", () => {
    expect(renderFrame(unknownKey, { sources })).toBe(
      [
        "a.hyp:3:17: error[HYP2002]: I do not know the key `ack` in `messaging.kafka.producer`.",
        "  |",
        '3 |     producer: { ack: "all" }',
        "  |                 ^^^ unknown key",
        "  |",
        "  = help: Rename it to `acks`, or remove it.",
        "  = did you mean: acks?",
      ].join("\n"),
    );
  });

  it("prints secondary spans in other files under a ::: header, expanding tabs", () => {
    const d: Diagnostic = {
      code: "HYP2006",
      severity: "error",
      message: "The key `port` is given twice.",
      span: span("a.hyp", source, "kafka", 2),
      label: "given again here",
      secondary: [{ span: span("b.hyp", other, "port", 2), message: "first given here" }],
    };
    expect(renderFrame(d, { sources })).toBe(
      [
        "a.hyp:2:3: error[HYP2006]: The key `port` is given twice.",
        "  |",
        "2 |   kafka: {",
        "  |   ^^^^^ given again here",
        " ::: b.hyp:2:2",
        "  |",
        "2 |     port: 1",
        "  |     ---- first given here",
      ].join("\n"),
    );
  });

  it("prints diagnostics without span as a header and help only", () => {
    const d: Diagnostic = { code: "HYP9001", severity: "error", message: "I cannot find the file `x.hyp`.", help: "Check the path." };
    expect(renderFrame(d, { sources })).toBe("error[HYP9001]: I cannot find the file `x.hyp`.\nhelp: Check the path.");
  });

  it("underlines multi-line spans to the end of their first line", () => {
    const start = source.indexOf("kafka");
    const d: Diagnostic = {
      code: "HYP2003",
      severity: "warning",
      message: "m",
      span: { file: "a.hyp", start, end: source.indexOf("  }\n}") + 3, line: 2, column: 3, endLine: 4, endColumn: 4 },
    };
    const text = renderFrame(d, { sources });
    expect(text).toContain("  |   ^^^^^^^^");
    expect(text).toContain("continues to line 4");
  });

  it("uses colour only when asked", () => {
    expect(renderFrame(unknownKey, { sources, color: true })).toContain("\u001b[");
    expect(renderFrame(unknownKey, { sources, color: false })).not.toContain("\u001b[");
  });

  it("separates several diagnostics with blank lines", () => {
    expect(renderFrames([unknownKey, unknownKey], { sources }).split("\n\n")).toHaveLength(2);
    expect(renderFrames([], { sources })).toBe("");
  });
});

describe("summaryLine and wantsColor", () => {
  it("counts errors and warnings, infos only when present", () => {
    expect(summaryLine([])).toBe("0 errors, 0 warnings");
    expect(summaryLine([unknownKey, unknownKey, { ...unknownKey, severity: "warning" }])).toBe("2 errors, 1 warning");
    expect(summaryLine([{ ...unknownKey, severity: "info" }])).toBe("0 errors, 0 warnings, 1 info");
  });

  it("wants colour on a TTY without NO_COLOR", () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
  });
});

describe("renderJson", () => {
  it("emits a stable shape with nulls and empty lists for absent parts", () => {
    const parsed = JSON.parse(renderJson([unknownKey, { code: "HYP9001", severity: "error", message: "m" }]));
    expect(parsed[0]).toEqual({
      code: "HYP2002",
      severity: "error",
      title: "Unknown key",
      message: unknownKey.message,
      file: "a.hyp",
      range: { start: { line: 3, column: 17, offset: 39 }, end: { line: 3, column: 20, offset: 42 } },
      label: "unknown key",
      secondary: [],
      help: unknownKey.help,
      suggestions: ["acks"],
    });
    expect(Object.keys(parsed[1])).toEqual(Object.keys(parsed[0]));
    expect(parsed[1]).toMatchObject({ file: null, range: null, label: null, help: null, suggestions: [] });
  });
});

describe("labels on one line", () => {
  it("share the source line, one underline row each", () => {
    const text = 'xs: ["a", "a"]\n';
    const first = span("c.hyp", text, '"a"', 1);
    const secondStart = text.lastIndexOf('"a"');
    const second: Span = { ...first, start: secondStart, end: secondStart + 3, column: secondStart + 1, endColumn: secondStart + 4 };
    const d: Diagnostic = {
      code: "HYP2012",
      severity: "warning",
      message: "m",
      span: second,
      label: "repeated here",
      secondary: [{ span: first, message: "first listed here" }],
    };
    expect(renderFrame(d, { sources: new Map([["c.hyp", text]]) })).toBe(
      [
        "c.hyp:1:11: warning[HYP2012]: m",
        "  |",
        '1 | xs: ["a", "a"]',
        "  |           ^^^ repeated here",
        "  |      --- first listed here",
      ].join("\n"),
    );
  });
});
