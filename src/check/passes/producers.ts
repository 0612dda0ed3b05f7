// Producers. Every routed event type must be declared (HYP3004) and its partition_key must be a
// payload field of that event (HYP3008). Topics are resolved by topics.ts.
import { partitionKeyNotInPayload, undefinedEventType } from "../../diagnostics/constructors/semantic.js";
import type { Context } from "./context.js";
import { didYouMean as suggest } from "../../diagnostics/did-you-mean.js";

export function checkProducers(ctx: Context): void {
  const known = [...ctx.eventsByType.keys()];
  for (const producer of ctx.model.producers) {
    for (const route of producer.routes) {
      const fields = ctx.payloadFields.get(route.eventType);
      if (!fields) {
        ctx.diagnostics.push(undefinedEventType(route.eventType, route.keySpan, `The producer \`${producer.name}\``, suggest(route.eventType, known)));
        continue;
      }
      const key = route.partitionKey;
      if (key && !fields.has(key.value)) {
        ctx.diagnostics.push(
          partitionKeyNotInPayload(key.value, key.span, `The route of \`${route.eventType}\` in \`${producer.name}\``, [route.eventType], [...fields]),
        );
      }
    }
  }
}
