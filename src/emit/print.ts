// Turns one file's ts-morph structures into text in one go: the structure printer writes the whole file and
// the result is parsed once (incremental edits would re-parse after each). Formatting is prettier's job,
// once per file at the end (format.ts).
import { IndentationText, Project, QuoteKind, type StatementStructures } from "ts-morph";

export type Statement = string | StatementStructures;

let project: Project | undefined;

function sharedProject(): Project {
  project ??= new Project({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double },
  });
  return project;
}

export function printStatements(path: string, statements: readonly Statement[]): string {
  const project = sharedProject();
  const file = project.createSourceFile(path, { statements: [...statements] }, { overwrite: true });
  const text = file.getFullText();
  project.removeSourceFile(file);
  return text;
}
