// The Topology carries no source positions, so generation diagnostics find their span in the AST: the
// member whose key is the name (producers, events, exchanges…) or the string value naming it (handlers).
import type { Program, Span, ValueNode } from "../ast.js";

export type Locator = (name: string, valueKey?: string) => Span | undefined;

export function createLocator(program: Program | undefined): Locator {
  if (program === undefined) return () => undefined;
  const byKey = new Map<string, Span>();
  const byValue = new Map<string, Span>();
  const visit = (node: ValueNode, parentKey: string | undefined): void => {
    if (node.kind === "object") {
      for (const member of node.members) {
        if (!byKey.has(member.key)) byKey.set(member.key, member.keySpan);
        visit(member.value, member.key);
      }
    } else if (node.kind === "array") {
      for (const item of node.items) visit(item, parentKey);
    } else if (node.kind === "string" && parentKey !== undefined) {
      const id = parentKey + "\u0000" + node.value;
      if (!byValue.has(id)) byValue.set(id, node.span);
    }
  };
  for (const file of program.files) for (const block of file.blocks) visit(block.body, undefined);
  // A name written as a value (handler: "X") is located at that value; otherwise at the key declaring it.
  return (name, valueKey) => (valueKey === undefined ? undefined : byValue.get(valueKey + "\u0000" + name)) ?? byKey.get(name);
}
