// The one registry of diagnostic codes (like TypeScript's diagnosticMessages.json). A code is stable:
// never renumbered, never reused for another meaning. Each code has exactly one constructor in
// ./constructors/ and at least one golden fixture under fixtures/diagnostics/<code>-*.hyp.
//
// Ranges: HYP1xxx syntax and files (parser, loader) · HYP2xxx structure against the spec (unknown key,
// type, enum, range, duplicates) · HYP3xxx references and resolution · HYP4xxx expert warnings
// (Kafka/RabbitMQ/guarantee advice) · HYP5xxx code generation · HYP9xxx CLI and I/O.
import type { Severity } from "./diagnostic.js";

export interface CodeInfo {
  readonly severity: Severity;
  /** Short title for docs and `--format json` consumers. */
  readonly title: string;
}

export const codes = {
  // ---- HYP1xxx: syntax and files (owned by the parser) ----

  // ---- HYP2xxx: structure against the spec ----

  // ---- HYP3xxx: references and resolution ----

  // ---- HYP4xxx: expert warnings ----

  // ---- HYP5xxx: code generation ----

  // ---- HYP9xxx: CLI and I/O ----
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof codes;
