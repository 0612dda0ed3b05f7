// Prettier, once per file, after all files are printed. Which files skip it (ajv's output, the Topology data,
// very large modules) and why is decided in generate.ts.
import * as prettier from "prettier";

export const prettierOptions: prettier.Options = { parser: "typescript", printWidth: 120 };

export async function formatTypeScript(text: string): Promise<string> {
  return prettier.format(text, prettierOptions);
}
