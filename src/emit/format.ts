// Prettier, once per file, after all files are printed. The validators module is ajv's machine output and
// is not formatted: it is the largest file by far and nobody reads it (measured: formatting it dominated
// build time on large configurations).
import * as prettier from "prettier";

export const prettierOptions: prettier.Options = { parser: "typescript", printWidth: 120 };

export async function formatTypeScript(text: string): Promise<string> {
  return prettier.format(text, prettierOptions);
}
