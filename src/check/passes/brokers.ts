// Which broker each block uses. A block's own `broker` key wins; else `messaging.default_broker`;
// else the first broker configured in `messaging`, with one warning (HYP3002) listing every block that
// relied on that choice. Brokers named but not configured: HYP3001; nothing configured at all: HYP3003.
// Values that are not broker kinds at all are the structural checker's (enum) to report.
import type { ObjectNode, Span } from "../../ast.js";
import type { BrokerKind } from "@hypc/runtime";
import { brokerNotConfigured, implicitDefaultBroker, noBrokerConfigured } from "../../diagnostics/constructors/semantic.js";
import type { Str } from "./ast-read.js";
import type { Context } from "./context.js";
import { isBrokerKind } from "./model.js";

interface Owner {
  readonly node: ObjectNode;
  readonly broker: Str | undefined;
  readonly what: string;
  readonly span: Span;
}

export function resolveBrokers(ctx: Context): void {
  const { model } = ctx;
  const configured = model.brokers.map((b) => b.kind);
  const messagingSpan = model.blocks.get("messaging")?.first.nameSpan;

  const owners: Owner[] = [
    ...model.producers.map((p) => ({ node: p.node, broker: p.broker, what: `The producer \`${p.name}\``, span: p.nameSpan })),
    ...model.consumers.map((c) => ({ node: c.node, broker: c.broker, what: `The consumer \`${c.name}\``, span: c.nameSpan })),
    ...model.exchanges.map((x) => ({ node: x.node, broker: x.broker, what: `The request-reply exchange \`${x.name}\``, span: x.nameSpan })),
    ...model.channels.map((c) => ({ node: c.node, broker: c.broker, what: `The pub/sub channel \`${c.name}\``, span: c.nameSpan })),
  ];
  if (model.deadLetter) {
    const dl = model.deadLetter;
    owners.push({ node: dl.node, broker: dl.broker, what: "The `dead_letter_queue` block", span: dl.block.nameSpan });
  }

  // The default broker, and whether choosing it relied on "first configured".
  let implicit = false;
  const declaredDefault = model.defaultBroker;
  if (declaredDefault && isBrokerKind(declaredDefault.value) && configured.includes(declaredDefault.value)) {
    ctx.defaultBroker = declaredDefault.value;
  } else {
    if (declaredDefault && isBrokerKind(declaredDefault.value)) {
      ctx.diagnostics.push(brokerNotConfigured(declaredDefault.value, declaredDefault.span, "`default_broker`", configured, messagingSpan));
    }
    const first = model.brokers[0];
    if (first) {
      ctx.defaultBroker = first.kind;
      implicit = !declaredDefault;
    }
  }

  const relied: Owner[] = [];
  let reportedNone = false;
  for (const owner of owners) {
    const named = owner.broker?.value;
    let kind: BrokerKind;
    if (named !== undefined && isBrokerKind(named)) {
      kind = named;
      if (configured.length > 0 && !configured.includes(named)) ctx.diagnostics.push(brokerNotConfigured(named, owner.broker!.span, owner.what, configured, messagingSpan));
    } else {
      kind = ctx.defaultBroker;
      if (named === undefined && implicit) relied.push(owner);
    }
    if (configured.length === 0 && !reportedNone) {
      reportedNone = true;
      ctx.diagnostics.push(noBrokerConfigured(owner.broker?.span ?? owner.span, owner.what));
    }
    ctx.brokerOf.set(owner.node, kind);
  }

  const first = model.brokers[0];
  if (relied.length > 0 && first) {
    ctx.diagnostics.push(implicitDefaultBroker(first.kind, relied[0]!.span, relied, first.member.keySpan));
  }
}
