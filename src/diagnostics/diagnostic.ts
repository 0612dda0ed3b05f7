// Diagnostics are data. Constructors (one per code) live in ./constructors.ts, codes in ./codes.ts,
// rendering (code frame, JSON) in ./render-*.ts. Nothing in the compiler throws on user input.
import type { Span } from "../ast.js";

export type Severity = "error" | "warning" | "info";

export interface Label {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  /** Stable code such as `HYP1001`; see codes.ts. Never reused for another meaning. */
  readonly code: string;
  readonly severity: Severity;
  /** One sentence in plain words: what is wrong, naming the thing. */
  readonly message: string;
  /** Where it is wrong. Absent only for problems with no source location (a missing file given on the CLI). */
  readonly span?: Span;
  /** Short text shown under the primary caret. */
  readonly label?: string;
  /** Other places that explain the problem ("first declared here"). */
  readonly secondary?: readonly Label[];
  /** How to fix it: ends the message. */
  readonly help?: string;
  /** Up to 4 "did you mean" candidates. */
  readonly suggestions?: readonly string[];
}
