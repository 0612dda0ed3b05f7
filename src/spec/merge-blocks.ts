// Blocks may be spread over several files (mindLink) or repeated in one: all blocks with the same name
// form one block whose members are theirs in program order. A key given twice at the same level is a
// duplicate (HYP2006) — merging happens only at block level, never deeper, so "which value wins" has
// exactly one answer: the first.
import type { BlockNode, MemberNode, ObjectNode, Program } from "../ast.js";

export interface MergedBlock {
  readonly name: string;
  /** Every occurrence, in program order (files in Program order, blocks in file order). */
  readonly occurrences: readonly BlockNode[];
  /** A synthetic object holding every member of every occurrence; its span is the first body's. */
  readonly body: ObjectNode;
}

export function mergeBlocks(program: Program): Map<string, MergedBlock> {
  const byName = new Map<string, BlockNode[]>();
  for (const file of program.files) {
    for (const block of file.blocks) {
      const list = byName.get(block.name);
      if (list) list.push(block);
      else byName.set(block.name, [block]);
    }
  }
  const merged = new Map<string, MergedBlock>();
  for (const [name, occurrences] of byName) {
    const first = occurrences[0]!;
    const members: MemberNode[] = occurrences.flatMap((block) => block.body.members);
    merged.set(name, { name, occurrences, body: { kind: "object", span: first.body.span, members } });
  }
  return merged;
}
