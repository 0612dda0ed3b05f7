// Loads a configuration: the entry files and, transitively, every file they import with `mindLink "x.hyp";`.
//
// - Import paths are relative to the importing file (FileSystem.resolve).
// - A file reached twice (two importers, or an entry that another entry imports) is loaded once.
// - An import that leads back to a file still being loaded is a cycle: reported once, at the import that
//   closes it, with the other imports of the cycle as secondary labels. Loading goes on; nothing is lost.
// - Program.files: the entry files first (in the order given), then imported files in the order a depth-first
//   walk from the entries first reaches them.
// - A missing or unreadable file is a diagnostic (at the import's path, or without a span for an entry file).
import { readFile } from "node:fs/promises";
import nodePath from "node:path";
import type { FileNode, ImportNode, Program } from "../ast.js";
import type { Diagnostic, Label } from "../diagnostics/diagnostic.js";
import { fileNotFound, fileUnreadable, importCycle } from "../diagnostics/constructors/syntax.js";
import { parseSource } from "./parse-source.js";

export interface FileSystem {
  /** Rejects when the file cannot be read; an error with `code: "ENOENT"` means it does not exist. */
  readFile(path: string): Promise<string>;
  /** The path of `rel` imported from the file `from` (absolute `rel` stays as is). */
  resolve(from: string, rel: string): string;
  /** A canonical form of a path, to recognise one file reached by different spellings. Defaults to the path. */
  normalize?(path: string): string;
}

/** The real file system. Paths keep the form they were given in (relative stays relative), normalised. */
export const nodeFileSystem: FileSystem = {
  readFile: (path) => readFile(path, "utf8"),
  resolve: (from, rel) => (nodePath.isAbsolute(rel) ? nodePath.normalize(rel) : nodePath.join(nodePath.dirname(from), rel)),
  normalize: (path) => nodePath.resolve(path),
};

/**
 * An in-memory file system for tests: POSIX-style paths, `files` keyed by path (normalised, so `./a.hyp` and
 * `a.hyp` are the same file).
 */
export function memoryFileSystem(files: Readonly<Record<string, string>>): FileSystem {
  const normalizeKey = (path: string): string => nodePath.posix.normalize(path);
  const contents = new Map(Object.entries(files).map(([path, text]) => [normalizeKey(path), text]));
  return {
    readFile(path) {
      const text = contents.get(normalizeKey(path));
      if (text !== undefined) return Promise.resolve(text);
      const isDirectory = [...contents.keys()].some((key) => key.startsWith(`${normalizeKey(path)}/`));
      const error = Object.assign(new Error(isDirectory ? `EISDIR: illegal operation on a directory` : `ENOENT: no such file`), {
        code: isDirectory ? "EISDIR" : "ENOENT",
      });
      return Promise.reject(error);
    },
    resolve: (from, rel) =>
      rel.startsWith("/") ? nodePath.posix.normalize(rel) : nodePath.posix.join(nodePath.posix.dirname(from), rel),
    normalize: normalizeKey,
  };
}

interface ChainLink {
  readonly key: string;
  readonly path: string;
  /** The import that led to this file (absent for an entry). */
  readonly via: ImportNode | undefined;
}

export async function loadProgram(
  entries: readonly string[],
  fs: FileSystem = nodeFileSystem,
): Promise<{ program: Program; diagnostics: Diagnostic[] }> {
  const canonical = (path: string): string => (fs.normalize ? fs.normalize(path) : path);
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const loaded = new Map<string, FileNode>(); // by canonical path
  const entryFiles: FileNode[] = [];
  const importedFiles: FileNode[] = [];
  // Depth-first walk state: "walking" = on the current import chain (grey), "done" = all imports walked.
  const state = new Map<string, "walking" | "done">();
  const chain: ChainLink[] = [];
  const reportedCycles = new Set<string>();

  async function load(path: string, via: ImportNode | undefined): Promise<FileNode | undefined> {
    let text: string;
    try {
      text = await fs.readFile(path);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const span = via?.pathSpan;
      if (code === "ENOENT" || code === "ENOTDIR") diagnostics.push(fileNotFound(via?.path ?? path, span, path));
      else diagnostics.push(fileUnreadable(via?.path ?? path, describeReadError(error), span));
      return undefined;
    }
    const parsed = parseSource(path, text);
    sources.set(path, text);
    diagnostics.push(...parsed.diagnostics);
    loaded.set(canonical(path), parsed.file);
    return parsed.file;
  }

  async function walk(link: ChainLink, file: FileNode): Promise<void> {
    state.set(link.key, "walking");
    chain.push(link);
    for (const imported of file.imports) {
      const target = fs.resolve(link.path, imported.path);
      const key = canonical(target);
      const seen = state.get(key);
      if (seen === "walking") {
        reportCycle(chain.slice(chain.findIndex((l) => l.key === key)), imported);
        continue;
      }
      if (seen === "done") continue;
      let targetFile = loaded.get(key);
      if (!targetFile) {
        targetFile = await load(target, imported);
        if (!targetFile) continue;
        importedFiles.push(targetFile);
      }
      await walk({ key, path: target, via: imported }, targetFile);
    }
    chain.pop();
    state.set(link.key, "done");
  }

  function reportCycle(links: readonly ChainLink[], closing: ImportNode): void {
    const id = links
      .map((link) => link.key)
      .sort()
      .join("\n");
    if (reportedCycles.has(id)) return;
    reportedCycles.add(id);
    const others: Label[] = [];
    for (let i = 1; i < links.length; i++) {
      const link = links[i]!;
      const from = links[i - 1]!;
      if (link.via) others.push({ span: link.via.pathSpan, message: `\`${from.path}\` imports \`${link.path}\` here` });
    }
    diagnostics.push(importCycle(links.map((link) => link.path), closing.pathSpan, others));
  }

  // All entries are loaded before any import, so Program.files lists them first even when one imports another.
  const entryLinks: { link: ChainLink; file: FileNode }[] = [];
  for (const path of entries) {
    const key = canonical(path);
    if (loaded.has(key)) continue; // the same entry given twice
    const file = await load(path, undefined);
    if (!file) continue;
    entryFiles.push(file);
    entryLinks.push({ link: { key, path, via: undefined }, file });
  }
  for (const { link, file } of entryLinks) {
    if (state.get(link.key) !== "done") await walk(link, file);
  }

  return { program: { files: [...entryFiles, ...importedFiles], sources }, diagnostics };
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EISDIR") return "it is a folder, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (error instanceof Error) return error.message;
  return String(error);
}
