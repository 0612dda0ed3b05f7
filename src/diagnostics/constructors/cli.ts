// Constructors of the HYP9xxx diagnostics: command line and I/O problems, which have no source span.
import type { Diagnostic } from "../diagnostic.js";
import { makeDiagnostic } from "./make.js";

export function inputFileNotFound(path: string, reason: "missing" | "directory" | "unreadable", detail?: string): Diagnostic {
  const message =
    reason === "missing"
      ? `I cannot find the file \`${path}\`.`
      : reason === "directory"
        ? `\`${path}\` is a directory, not a .hyp file.`
        : `I cannot read the file \`${path}\`${detail ? ` (${detail})` : ""}.`;
  return makeDiagnostic("HYP9001", message, undefined, {
    help: reason === "directory" ? `Pass the .hyp files inside it, e.g. \`hypc check ${path.replace(/\/$/, "")}/*.hyp\`.` : "Check the path (it is relative to the current directory) and try again.",
  });
}
