// The text renderer: `file:line:column: error[HYP2002]: message`, then the source line(s) with carets under
// the span and its label, secondary spans (`:::` header when in another file), `= help:` and
// `= did you mean: a, b?`. Colour only when asked (the CLI asks when the stream is a TTY and NO_COLOR is unset).
import { createColors } from "picocolors";
import type { Span } from "../ast.js";
import type { Diagnostic, Severity } from "./diagnostic.js";

export interface FrameOptions {
  /** Source text per file path (Program.sources). Files missing here get a header without a code frame. */
  readonly sources: ReadonlyMap<string, string>;
  readonly color?: boolean;
}

type Colors = ReturnType<typeof createColors>;
const TAB_WIDTH = 4;

/** Renders several diagnostics, separated by blank lines, ending with a newline (empty string for none). */
export function renderFrames(diagnostics: readonly Diagnostic[], options: FrameOptions): string {
  const renderer = new FrameRenderer(options);
  return diagnostics.map((diagnostic) => renderer.render(diagnostic) + "\n").join("\n");
}

export function renderFrame(diagnostic: Diagnostic, options: FrameOptions): string {
  return new FrameRenderer(options).render(diagnostic);
}

/** "2 errors, 1 warning" (infos only when there are some). */
export function summaryLine(diagnostics: readonly Diagnostic[]): string {
  const count = (severity: Severity) => diagnostics.filter((d) => d.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts = [plural(count("error"), "error"), plural(count("warning"), "warning")];
  const infos = count("info");
  if (infos > 0) parts.push(plural(infos, "info"));
  return parts.join(", ");
}

/** Whether a stream should get colour: a TTY, and NO_COLOR unset (https://no-color.org). */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

class FrameRenderer {
  private readonly c: Colors;
  private readonly lineCache = new Map<string, string[]>();

  constructor(private readonly options: FrameOptions) {
    this.c = createColors(options.color ?? false);
  }

  render(diagnostic: Diagnostic): string {
    const { c } = this;
    const paint = severityPaint(c, diagnostic.severity);
    const head = `${paint(`${diagnostic.severity}[${diagnostic.code}]`)}${c.bold(`: ${diagnostic.message}`)}`;
    const lines: string[] = [];
    const span = diagnostic.span;
    lines.push(span ? `${c.bold(location(span))}: ${head}` : head);

    const snippets: { span: Span; label: string; primary: boolean }[] = [];
    if (span) snippets.push({ span, label: diagnostic.label ?? "", primary: true });
    for (const secondary of diagnostic.secondary ?? []) snippets.push({ span: secondary.span, label: secondary.message, primary: false });
    const gutterWidth = Math.max(1, ...snippets.map((s) => String(s.span.line).length));
    const bar = c.blue(`${" ".repeat(gutterWidth + 1)}|`);

    // Labels on the line just shown share its source line (one underline row each), as in rustc.
    let previous: Span | undefined;
    snippets.forEach((snippet, index) => {
      const sameLine = previous !== undefined && previous.file === snippet.span.file && previous.line === snippet.span.line;
      if (index > 0 && snippet.span.file !== previous?.file) lines.push(c.blue(`${" ".repeat(gutterWidth)}::: `) + location(snippet.span));
      const rendered = this.snippet(snippet.span, snippet.label, snippet.primary, diagnostic.severity, gutterWidth, bar);
      lines.push(...(sameLine ? rendered.slice(2) : rendered));
      if (rendered.length > 0) previous = snippet.span;
    });

    const notes: string[] = [];
    if (diagnostic.help) notes.push(`${c.bold("help")}: ${diagnostic.help}`);
    if (diagnostic.suggestions && diagnostic.suggestions.length > 0) {
      // Plain words stay bare (`did you mean: acks?`); anything with punctuation is quoted so the final `?` reads right.
      const shown = diagnostic.suggestions.map((s) => (/^[\w.*-]+$/.test(s) ? s : `\`${s}\``));
      notes.push(`${c.bold("did you mean")}: ${shown.join(", ")}?`);
    }
    if (notes.length > 0) {
      if (snippets.length > 0) lines.push(bar);
      const pad = " ".repeat(gutterWidth + 1);
      for (const note of notes) lines.push(snippets.length > 0 ? `${pad}${c.blue("=")} ${note}` : note);
    }
    return lines.join("\n");
  }

  private snippet(span: Span, label: string, primary: boolean, severity: Severity, gutterWidth: number, bar: string): string[] {
    const { c } = this;
    const sourceLines = this.linesOf(span.file);
    const text = sourceLines?.[span.line - 1];
    if (text === undefined) return [];
    const visible = expandTabs(text);
    const startCol = visualColumn(text, span.column - 1);
    // Multi-line spans are underlined to the end of their first line.
    const endCol = span.endLine === span.line ? visualColumn(text, span.endColumn - 1) : visible.length;
    const width = Math.max(1, endCol - startCol);
    const marker = (primary ? "^" : "-").repeat(width);
    const paintMarker = primary ? severityPaint(c, severity) : c.blue;
    const lineNo = String(span.line).padStart(gutterWidth);
    const underline = `${" ".repeat(startCol)}${paintMarker(marker + (label ? ` ${label}` : ""))}`;
    const more = span.endLine > span.line ? [`${bar} ${c.dim(`… (continues to line ${span.endLine})`)}`] : [];
    return [bar, `${c.blue(`${lineNo} |`)} ${visible.trimEnd()}`, `${bar} ${underline}`, ...more];
  }

  private linesOf(file: string): string[] | undefined {
    let lines = this.lineCache.get(file);
    if (!lines) {
      const source = this.options.sources.get(file);
      if (source === undefined) return undefined;
      lines = source.split(/\r\n|\r|\n/);
      this.lineCache.set(file, lines);
    }
    return lines;
  }
}

function location(span: Span): string {
  return `${span.file}:${span.line}:${span.column}`;
}

function severityPaint(c: Colors, severity: Severity): (text: string) => string {
  if (severity === "error") return (t) => c.bold(c.red(t));
  if (severity === "warning") return (t) => c.bold(c.yellow(t));
  return (t) => c.bold(c.cyan(t));
}

function expandTabs(text: string): string {
  let out = "";
  for (const ch of text) out += ch === "\t" ? " ".repeat(TAB_WIDTH - (out.length % TAB_WIDTH)) : ch;
  return out;
}

/** Screen column of the 0-based UTF-16 index `index` once tabs are expanded. */
function visualColumn(text: string, index: number): number {
  let column = 0;
  const stop = Math.min(index, text.length);
  for (let i = 0; i < stop; i++) column = text[i] === "\t" ? column + TAB_WIDTH - (column % TAB_WIDTH) : column + 1;
  return column + Math.max(0, index - text.length);
}

