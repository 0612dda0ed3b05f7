// Consumer handlers (after topics are resolved). A handled event type must be declared (HYP3004)
// and should arrive on one of the consumer's topics (HYP3014; only said when every topic is produced in
// this configuration, since a topic filled from outside may carry anything). A `"*"` handler receives
// the union of the event types on the consumer's topics. Event types that arrive without any handler are
// acknowledged and skipped by the runtime; an info (HYP3021) lists them.
import { handlerEventNeverArrives, undefinedEventType, unhandledEventTypes } from "../../diagnostics/constructors/semantic.js";
import { allEventTypes, inEventOrder, type Context } from "./context.js";
import type { ConsumerDecl, HandlerDecl } from "./model.js";
import { didYouMean as suggest } from "../../diagnostics/did-you-mean.js";

/** Event types that arrive on the consumer's topics, and whether every topic is produced here. */
export function arrivingEvents(ctx: Context, consumer: ConsumerDecl): { eventTypes: string[]; allKnown: boolean } {
  const types: string[] = [];
  let allKnown = true;
  for (const name of ctx.consumerTopics.get(consumer.name) ?? []) {
    const info = ctx.topics.get(name);
    if (!info?.produced) allKnown = false;
    if (info) types.push(...info.eventTypes);
  }
  return { eventTypes: inEventOrder(ctx, types), allKnown };
}

/**
 * Event types a handler slot receives: its own key, or for `"*"` everything that arrives (every declared
 * event when nothing known arrives, e.g. all topics come from outside).
 */
export function handlerEventTypes(ctx: Context, consumer: ConsumerDecl, handler: HandlerDecl): string[] {
  if (handler.key !== "*") return ctx.eventsByType.has(handler.key) ? [handler.key] : [];
  const { eventTypes } = arrivingEvents(ctx, consumer);
  return eventTypes.length > 0 ? eventTypes : allEventTypes(ctx);
}

export function checkConsumerHandlers(ctx: Context): void {
  const known = [...ctx.eventsByType.keys()];
  for (const consumer of ctx.model.consumers) {
    const arriving = arrivingEvents(ctx, consumer);
    const arrives = new Set(arriving.eventTypes);
    for (const handler of consumer.handlers) {
      if (handler.key === "*") continue;
      if (!ctx.eventsByType.has(handler.key)) {
        ctx.diagnostics.push(undefinedEventType(handler.key, handler.keySpan, `The consumer \`${consumer.name}\``, suggest(handler.key, known)));
        continue;
      }
      if (arriving.allKnown && !arrives.has(handler.key)) {
        const topics = consumer.subscriptions.map((s) => s.name.value);
        ctx.diagnostics.push(handlerEventNeverArrives(handler.key, handler.keySpan, consumer.name, topics, arriving.eventTypes));
      }
    }
    // Event types that arrive without a slot are acknowledged and skipped by the runtime: say which.
    const handled = new Set(consumer.handlers.map((h) => h.key));
    // (Not said when a handler names an undeclared event type: that is likely the missing one, misspelt.)
    const allDeclared = consumer.handlers.every((h) => h.key === "*" || ctx.eventsByType.has(h.key));
    if (!handled.has("*") && consumer.handlers.length > 0 && allDeclared) {
      const unhandled = arriving.eventTypes.filter((t) => !handled.has(t));
      if (unhandled.length > 0) ctx.diagnostics.push(unhandledEventTypes(consumer.name, consumer.nameSpan, unhandled));
    }
  }
}
