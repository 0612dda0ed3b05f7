// Handler names. Every `handler:` names a typed slot the app fills, so it must be a valid
// TypeScript identifier (HYP3017; PascalCase advised, HYP3019). A slot is identified by its role
// (consumer handler, batch handler, channel subscriber, dead-letter handler) and its exact set of event
// types: the same name for a different role or set is an error (HYP3018); the same name for exactly the
// same slot (e.g. `script.created` in two consumers) is allowed and becomes one slot.
import type { Span } from "../../ast.js";
import { handlerNameConflict, handlerNameStyle, invalidHandlerName } from "../../diagnostics/constructors/semantic.js";
import type { Str } from "./ast-read.js";
import { handlerEventTypes } from "./consumers.js";
import type { Context } from "./context.js";
import { isPascalCase, isValidIdentifier } from "./identifiers.js";
import { member } from "./ast-read.js";

interface SlotUse {
  readonly identity: string;
  readonly what: string;
  readonly span: Span;
}

export function checkHandlerNames(ctx: Context): void {
  const slots = new Map<string, SlotUse>();
  const use = (name: Str | undefined, role: string, eventTypes: readonly string[], what: string): void => {
    if (!name) return;
    if (!isValidIdentifier(name.value)) {
      ctx.diagnostics.push(invalidHandlerName(name.value, name.span));
      return;
    }
    if (!isPascalCase(name.value)) ctx.diagnostics.push(handlerNameStyle(name.value, name.span));
    const identity = `${role}:${[...eventTypes].sort().join(",")}`;
    const first = slots.get(name.value);
    if (!first) slots.set(name.value, { identity, what, span: name.span });
    else if (first.identity !== identity) ctx.diagnostics.push(handlerNameConflict(name.value, name.span, what, first));
  };

  for (const consumer of ctx.model.consumers) {
    for (const handler of consumer.handlers) {
      const batch = member(handler.node, "batch_size") !== undefined || member(handler.node, "batch_timeout") !== undefined;
      const types = handlerEventTypes(ctx, consumer, handler);
      const subject = handler.key === "*" ? "every event" : `\`${handler.key}\``;
      use(handler.handler, batch ? "batch" : "event", types, `${batch ? "batches of " : ""}${subject} in \`${consumer.name}\``);
    }
  }
  for (const channel of ctx.model.channels) {
    const types = ctx.channelEvents.get(channel.name) ?? [];
    for (const sub of channel.subscribers) use(sub.handler, "subscriber", types, `a subscriber of the channel \`${channel.name}\``);
  }
  for (const h of ctx.model.deadLetter?.handlers ?? []) use(h.handler, "dead-letter", [], `the dead-letter handler group \`${h.group}\``);
}
