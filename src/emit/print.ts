// Turns one file's ts-morph structures into text in one go. ts-morph's structure printer writes the whole
// file; `createSourceFile(path, structure)` would then also parse it (the text is all we need, and prettier
// parses it anyway), so the printer is called directly when this ts-morph version exposes it, with the
// public createSourceFile path as the fallback. Formatting is prettier's job, once per file (format.ts).
import { IndentationText, Project, QuoteKind, StructureKind, type SourceFileStructure, type StatementStructures, type WriterFunction } from "ts-morph";

export type Statement = string | StatementStructures;

interface StructurePrinter {
  printText(writer: ReturnType<Project["createWriter"]>, structure: SourceFileStructure): void;
}

let project: Project | undefined;
let printer: StructurePrinter | undefined;

function sharedProject(): Project {
  if (project === undefined) {
    project = new Project({
      useInMemoryFileSystem: true,
      skipFileDependencyResolution: true,
      manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double },
    });
    // Internal in ts-morph 27 (pinned): the factory createSourceFile uses to print a SourceFileStructure.
    const factory = (project as unknown as { _context?: { structurePrinterFactory?: { forSourceFile?: (o: object) => StructurePrinter } } })
      ._context?.structurePrinterFactory;
    printer = typeof factory?.forSourceFile === "function" ? factory.forSourceFile({ isAmbient: false }) : undefined;
  }
  return project;
}

/** One blank line between top-level declarations (imports stay together), as a person would write them. */
function withBlankLines(statements: readonly Statement[]): (Statement | WriterFunction)[] {
  const blank: WriterFunction = (writer) => void writer.blankLineIfLastNot();
  const isImport = (s: Statement | undefined) =>
    typeof s === "object" && (s.kind === StructureKind.ImportDeclaration || s.kind === StructureKind.ExportDeclaration);
  const result: (Statement | WriterFunction)[] = [];
  statements.forEach((statement, index) => {
    if (index > 0 && !(isImport(statement) && isImport(statements[index - 1]))) result.push(blank);
    result.push(statement);
  });
  return result;
}

export function printStatements(path: string, statements: readonly Statement[]): string {
  const project = sharedProject();
  const structure = { statements: withBlankLines(statements) } as SourceFileStructure;
  if (printer !== undefined) {
    const writer = project.createWriter();
    printer.printText(writer, structure);
    return writer.toString();
  }
  const file = project.createSourceFile(path, structure, { overwrite: true });
  const text = file.getFullText();
  project.removeSourceFile(file);
  return text;
}
