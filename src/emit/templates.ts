// Fixed TypeScript fragments live in templates/ as real, type-checked TypeScript; the generator clones their
// statements (as ts-morph structures) into the modules it builds, after the `// ---- template ----` marker.
// Loaded once per process: templates are part of the compiler, not of the user's input.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Project, type StatementStructures } from "ts-morph";

const marker = "// ---- template ----";
const cache = new Map<string, StatementStructures[]>();

/** The statements of templates/<name>.ts after the marker line. */
export function templateStatements(name: string): StatementStructures[] {
  let statements = cache.get(name);
  if (statements === undefined) {
    const text = readFileSync(join(templatesDir(), `${name}.ts`), "utf8");
    const at = text.indexOf(marker);
    if (at < 0) throw new Error(`templates/${name}.ts has no "${marker}" line`);
    const project = new Project({ useInMemoryFileSystem: true });
    const file = project.createSourceFile(`${name}.ts`, text.slice(at + marker.length));
    statements = file.getStatements().map((s) => (s as unknown as { getStructure(): StatementStructures }).getStructure());
    cache.set(name, statements);
  }
  return statements;
}

/** templates/ at the package root, from src/emit (tests) or dist/src/emit (the built CLI). */
function templatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "templates");
    if (existsSync(join(candidate, "dead-letter.ts"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("hypc: the templates/ folder is missing from the installation");
}
