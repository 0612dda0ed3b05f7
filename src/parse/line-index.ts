// Offset → line/column for one source text. Built once per file (one pass over the text), then each lookup is a
// binary search over line starts. Line breaks are \n, \r\n and a lone \r (the same set the lexer's whitespace
// accepts), so a position is the same whatever the file's line endings.
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
    const at = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    // Spans are mostly requested in source order: try the line of the previous lookup (and the next one) first.
    const hint = this.lastLine;
    if (starts[hint]! <= at) {
      if (hint + 1 >= starts.length || at < starts[hint + 1]!) return { line: hint + 1, column: at - starts[hint]! + 1 };
      if (hint + 2 >= starts.length || at < starts[hint + 2]!) {
        this.lastLine = hint + 1;
        return { line: hint + 2, column: at - starts[hint + 1]! + 1 };
      }
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    this.lastLine = low;
    return { line: low + 1, column: at - starts[low]! + 1 };
  }

  /**
   * The span of [start, end). `endLine`/`endColumn` is the position just past the last character (exclusive,
   * like `end`), so an empty span has equal start and end positions.
   */
  span(start: number, end: number): Span {
    const s = Math.max(0, Math.min(start, this.text.length));
    const e = Math.max(s, Math.min(end, this.text.length));
    const from = this.position(s);
    const to = this.position(e);
    return { file: this.file, start: s, end: e, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }
}
