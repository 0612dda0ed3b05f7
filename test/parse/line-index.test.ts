import { describe, expect, it } from "vitest";
import { LineIndex } from "../../src/parse/line-index.js";

describe("LineIndex", () => {
  const text = "ab\ncd\r\nef\rg";
  const index = new LineIndex("f.hyp", text);

  it("maps offsets to 1-based lines and columns with \\n, \\r\\n and \\r line breaks, in any order", () => {
    const expected: [number, number, number][] = [
      [0, 1, 1], [2, 1, 3], [3, 2, 1], [5, 2, 3], [7, 3, 1], [9, 3, 3], [10, 4, 1], [11, 4, 2],
    ];
    for (const order of [expected, [...expected].reverse(), [expected[4]!, expected[0]!, expected[7]!, expected[2]!]]) {
      for (const [offset, line, column] of order) expect(index.position(offset)).toEqual({ line, column });
    }
  });

  it("builds spans with exclusive ends and clamps out-of-range offsets", () => {
    expect(index.span(3, 5)).toEqual({ file: "f.hyp", start: 3, end: 5, line: 2, column: 1, endLine: 2, endColumn: 3 });
    expect(index.span(-4, 99)).toMatchObject({ start: 0, end: 11, endLine: 4, endColumn: 2 });
    expect(index.span(Number.NaN, 1)).toMatchObject({ start: 0, end: 1 });
  });
});
