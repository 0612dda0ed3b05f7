// The dead_letter_queue block. Its main queue is a work queue with its own retry/DLQ policy; its
// `dlq_name` must name the `dlq_queue` (HYP3015). The events the work queue carries: an explicit
// `events: [...]` on main_queue (like pub/sub), else every declared event (said in an info, HYP3020).
import { dlqNameMismatch, inferredEvents } from "../../diagnostics/constructors/semantic.js";
import { strAt } from "./ast-read.js";
import { explicitEvents } from "./channels.js";
import { allEventTypes, type Context } from "./context.js";
import { resolveWrittenTopic } from "./topics.js";

export function checkDeadLetter(ctx: Context): void {
  const dl = ctx.model.deadLetter;
  if (!dl) return;
  const dlqName = strAt(dl.mainQueue, "dlq_name");
  const queueName = strAt(dl.dlqQueue, "name");
  if (dlqName && dlqName.value !== queueName?.value) {
    ctx.diagnostics.push(dlqNameMismatch(dlqName.value, dlqName.span, queueName?.value, queueName?.span));
  }
  // Both queues are written by this configuration (work-queue sender, dead-lettering), so consumers
  // may read them without a "produced nowhere" warning.
  const broker = ctx.brokerOf.get(dl.node) ?? ctx.defaultBroker;
  if (queueName) resolveWrittenTopic(ctx, queueName.value, broker, { what: "the dead-letter queue", span: queueName.span });
  if (!dl.mainQueue) return;
  const mainName = strAt(dl.mainQueue, "name")?.value ?? "main_queue";
  const what = `The work queue \`${mainName}\``;
  if (dl.events) {
    ctx.deadLetterEvents = explicitEvents(ctx, dl.events, what);
  } else {
    ctx.deadLetterEvents = allEventTypes(ctx);
    const span = strAt(dl.mainQueue, "name")?.span ?? dl.block.nameSpan;
    ctx.diagnostics.push(inferredEvents(what, span, ctx.deadLetterEvents, "by default a work queue accepts every declared event"));
  }
  const main = strAt(dl.mainQueue, "name");
  if (main) {
    const info = resolveWrittenTopic(ctx, main.value, broker, { what: `the work queue \`${main.value}\``, span: main.span });
    for (const t of ctx.deadLetterEvents) info.eventTypes.add(t);
  }
}
