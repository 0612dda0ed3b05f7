// Small structure builders shared by the module emitters.
import { StructureKind, type ImportDeclarationStructure, type PropertySignatureStructure } from "ts-morph";
import { commentText } from "./text.js";

/** What handlers receive besides the message: the runtime's HandlerContext with a typed publish (producers.ts). */
export const contextType = "MessagingContext";

/** Namespace for runtime types: one reserved word instead of one per runtime type name. */
export const rt = "hypc";

export function runtimeTypesImport(): ImportDeclarationStructure {
  return { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namespaceImport: rt, moduleSpecifier: "@hypc/runtime" };
}

/** `import type { a, b } from "./module.js"` with sorted, de-duplicated names; undefined when nothing is needed. */
export function typeImport(module: string, names: Iterable<string>): ImportDeclarationStructure | undefined {
  const sorted = [...new Set(names)].sort();
  if (sorted.length === 0) return undefined;
  return { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: sorted, moduleSpecifier: `./${module}.js` };
}

export function valueImport(module: string, names: Iterable<string>): ImportDeclarationStructure | undefined {
  const sorted = [...new Set(names)].sort();
  if (sorted.length === 0) return undefined;
  return { kind: StructureKind.ImportDeclaration, namedImports: sorted, moduleSpecifier: `./${module}.js` };
}

export function readonlyProperty(name: string, type: string, optional = false, doc?: string): PropertySignatureStructure {
  return {
    kind: StructureKind.PropertySignature,
    name,
    type,
    isReadonly: true,
    hasQuestionToken: optional,
    ...(doc === undefined ? {} : { docs: [commentText(doc)] }),
  };
}

/** Doc comment lines (each made comment-safe). */
export function docs(...lines: string[]): string[] {
  return [lines.map(commentText).join("\n")];
}

export function defined<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined);
}

/** `A | B` for a list of type names; `never` when empty. */
export function unionOf(names: readonly string[]): string {
  return names.length === 0 ? "never" : names.join(" | ");
}
