// Consumer handlers (after topics are resolved). A handled event type must be declared (HYP3004)
// and should arrive on one of the consumer's topics (HYP3014; only said when every topic is produced in
// this configuration, since a topic filled from outside may carry anything). A `"*"` handler receives
// the union of the event types on the consumer's topics.
import { handlerEventNeverArrives, undefinedEventType } from "../../diagnostics/constructors/semantic.js";
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
  }
}
