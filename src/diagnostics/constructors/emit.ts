// Constructors for HYP5xxx (problems found while generating TypeScript) and HYP9050 (writing the output).
import type { Span } from "../../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import { makeDiagnostic } from "./make.js";

/** HYP5001: a configuration name that becomes a TypeScript name (type, class, property) is not an identifier. */
export function invalidGeneratedName(name: string, role: string, span: Span | undefined, suggestion?: string): Diagnostic {
  return makeDiagnostic("HYP5001", `The ${role} name ${JSON.stringify(name)} becomes a TypeScript name, but it is not a valid identifier.`, span, {
    label: "not a TypeScript identifier",
    help:
      "Use ASCII letters, digits, `_` or `$`, start with a letter, and avoid reserved words" +
      (suggestion === undefined ? "." : `, for example \`${suggestion}\`.`),
    ...(suggestion === undefined ? {} : { suggestions: [suggestion] }),
  });
}

/** HYP5002: two configuration names generate the same TypeScript name. */
export function generatedNameCollision(
  generated: string,
  first: { readonly name: string; readonly role: string; readonly span: Span | undefined },
  second: { readonly name: string; readonly role: string; readonly span: Span | undefined },
): Diagnostic {
  return makeDiagnostic(
    "HYP5002",
    `The ${second.role} ${JSON.stringify(second.name)} generates the TypeScript name \`${generated}\`, ` +
      `which the ${first.role} ${JSON.stringify(first.name)} already generates.`,
    second.span,
    {
      label: `generates ${generated}`,
      ...(first.span === undefined ? {} : { secondary: [{ span: first.span, message: `also generates ${generated}` }] }),
      help: "Rename one of them so that their generated names differ.",
    },
  );
}

/** HYP5003: ajv could not compile a schema the checker produced (a hypc bug or an unsupported construct). */
export function schemaNotCompilable(schemaId: string, reason: string, span: Span | undefined): Diagnostic {
  return makeDiagnostic("HYP5003", `The schema ${JSON.stringify(schemaId)} cannot be compiled into a validator: ${reason}`, span, {
    label: "schema defined here",
    help: "Simplify the field types of this schema; if they look valid, please report this as a hypc bug.",
  });
}

/** HYP9050: the output directory or a generated file cannot be written. */
export function outputNotWritable(path: string, detail: string): Diagnostic {
  return makeDiagnostic("HYP9050", `I cannot write the generated output to \`${path}\` (${detail}).`, undefined, {
    help: "Check that the --out directory is writable, or choose another one.",
  });
}
