// Structural check of a program against the spec (src/spec): unknown blocks and keys, types, allowed
// values, ranges, duplicates, missing required keys, secrets written as literals, field types (HYP2xxx).
// Blocks with the same name (in one file or across mindLinked files) are merged first; see
// src/spec/merge-blocks.ts. Never throws; every problem is one diagnostic.
import type { Program } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { unknownBlock } from "../diagnostics/constructors/structure.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { mergeBlocks } from "../spec/merge-blocks.js";
import { blockNames, rootSpec } from "../spec/root.js";
import { checkValue } from "./structure/check-value.js";

export function validateAgainstSpec(program: Program): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (diagnostic: Diagnostic): void => {
    diagnostics.push(diagnostic);
  };
  for (const block of mergeBlocks(program).values()) {
    const spec = Object.hasOwn(rootSpec.fields, block.name) ? rootSpec.fields[block.name] : undefined;
    if (!spec) {
      const suggestions = didYouMean(block.name, blockNames);
      for (const occurrence of block.occurrences) report(unknownBlock(block.name, occurrence.nameSpan, suggestions, blockNames));
      continue;
    }
    const anchor = block.occurrences[0]!.nameSpan;
    checkValue(block.body, spec, block.name, anchor, report);
  }
  return diagnostics;
}
