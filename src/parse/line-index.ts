// Offset → line/column for one source text. Built once per file (one pass over the text), then each lookup is a
// binary search over line starts, skipped when the offset is on the line of the previous lookup or the next one
// (spans are mostly requested in source order). Line breaks are \n, \r\n and a lone \r, so a position is the
// same whatever the file's line endings.
import type { Span } from "../ast.js";

export class LineIndex {
  /** Offset of the first character of each line; lineStarts[0] === 0. */
  private readonly lineStarts: number[];
  /** 0-based line of the last lookup (a search hint). */
  private lastLine = 0;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {
    const starts = [0];
    if (text.indexOf("\r") === -1) {
      // Common case (no \r at all): indexOf is much faster than looking at every character.
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get length(): number {
    return this.text.length;
  }

  /** 1-based line and column (UTF-16 units) of an offset, clamped into the text. */
  position(offset: number): { line: number; column: number } {
    const at = this.clamp(offset);
    const line = this.lineOf(at);
    return { line: line + 1, column: at - this.lineStarts[line]! + 1 };
  }

  /**
   * The span of [start, end). `endLine`/`endColumn` is the position just past the last character (exclusive,
   * like `end`), so an empty span has equal start and end positions.
   */
  span(start: number, end: number): Span {
    const s = this.clamp(start);
    const e = Math.max(s, this.clamp(end));
    const startLine = this.lineOf(s);
    const endLine = this.lineOf(e);
    const starts = this.lineStarts;
    return {
      file: this.file,
      start: s,
      end: e,
      line: startLine + 1,
      column: s - starts[startLine]! + 1,
      endLine: endLine + 1,
      endColumn: e - starts[endLine]! + 1,
    };
  }

  private clamp(offset: number): number {
    return offset < 0 || Number.isNaN(offset) ? 0 : offset > this.text.length ? this.text.length : offset;
  }

  /** 0-based line containing `at` (already clamped). */
  private lineOf(at: number): number {
    const starts = this.lineStarts;
    const hint = this.lastLine;
    if (starts[hint]! <= at) {
      if (hint + 1 >= starts.length || at < starts[hint + 1]!) return hint;
      if (hint + 2 >= starts.length || at < starts[hint + 2]!) return (this.lastLine = hint + 1);
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return (this.lastLine = low);
  }
}
