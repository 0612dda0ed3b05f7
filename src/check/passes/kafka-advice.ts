// Kafka advice. Checked for `messaging.kafka.consumer` and for the `settings` of every consumer on
// Kafka (a consumer's settings override the broker's, which override the spec's defaults):
//  - heartbeat_interval_ms should be below a third of session_timeout_ms (HYP4001, Kafka's own advice);
//  - max_poll_interval_ms should not be below session_timeout_ms (HYP4002);
//  - one consumer group should not be shared by consumers/subscribers reading different topics (HYP4012;
//    the seed's AnalyticsEventConsumer and its pub/sub subscriber AnalyticsProcessor both use
//    `analytics-processor`);
// and for both `security` sections: SASL PLAIN without SSL sends credentials in clear text (HYP4006).
import type { NumberNode, ObjectNode, Span } from "../../ast.js";
import { heartbeatTooHigh, pollIntervalBelowSession, saslPlainWithoutSsl, sharedConsumerGroup } from "../../diagnostics/constructors/semantic.js";
import { lookupSpec } from "../../spec/lookup.js";
import { boolAt, member, numAt, objectAt, strAt, type Str } from "./ast-read.js";
import type { Context } from "./context.js";

interface Setting {
  readonly value: number;
  /** Set when written in the object being checked (not inherited). */
  readonly node?: NumberNode;
}

function specDefault(path: string): number {
  const spec = lookupSpec(path);
  return spec && (spec.kind === "integer" || spec.kind === "decimal") && spec.default !== undefined ? spec.default : Number.NaN;
}

export function checkKafkaAdvice(ctx: Context): void {
  const kafka = ctx.model.brokers.find((b) => b.kind === "kafka")?.node;
  if (!kafka) return;
  const base = objectAt(kafka, "consumer");
  const inherited = (key: string): Setting => {
    const node = numAt(base, key);
    return { value: node?.value ?? specDefault(`messaging.kafka.consumer.${key}`) };
  };
  const own = (obj: ObjectNode | undefined, key: string, fallback: Setting): Setting => {
    const node = numAt(obj, key);
    return node ? { value: node.value, node } : fallback;
  };

  checkTimeouts(ctx, "`messaging.kafka.consumer`", base, (key) => ({ value: specDefault(`messaging.kafka.consumer.${key}`) }), own);
  for (const consumer of ctx.model.consumers) {
    if (ctx.brokerOf.get(consumer.node) !== "kafka" || !consumer.settings) continue;
    checkTimeouts(ctx, `The consumer \`${consumer.name}\``, consumer.settings, inherited, own);
  }

  checkSharedGroups(ctx);

  for (const side of ["producer", "consumer"] as const) {
    const security = objectAt(objectAt(kafka, side), "security");
    const mechanism = strAt(security, "sasl_mechanism");
    if (mechanism?.value === "PLAIN" && boolAt(security, "ssl_enabled") !== true) {
      ctx.diagnostics.push(saslPlainWithoutSsl(`\`messaging.kafka.${side}\``, mechanism.span, member(security, "ssl_enabled")?.value.span));
    }
  }
}

function checkTimeouts(
  ctx: Context,
  where: string,
  obj: ObjectNode | undefined,
  fallback: (key: string) => Setting,
  own: (obj: ObjectNode | undefined, key: string, fallback: Setting) => Setting,
): void {
  const session = own(obj, "session_timeout_ms", fallback("session_timeout_ms"));
  const heartbeat = own(obj, "heartbeat_interval_ms", fallback("heartbeat_interval_ms"));
  const poll = own(obj, "max_poll_interval_ms", fallback("max_poll_interval_ms"));
  // Only report where at least one value of the pair is written in this object: inherited pairs are
  // reported once, where they are written.
  if ((heartbeat.node || session.node) && heartbeat.value * 3 >= session.value) {
    const span = (heartbeat.node ?? session.node)!.span;
    ctx.diagnostics.push(heartbeatTooHigh(where, span, heartbeat.value, session.value, heartbeat.node ? session.node?.span : undefined));
  }
  if ((poll.node || session.node) && poll.value < session.value) {
    const span = (poll.node ?? session.node)!.span;
    ctx.diagnostics.push(pollIntervalBelowSession(where, span, poll.value, session.value, poll.node ? session.node?.span : undefined));
  }
}

function checkSharedGroups(ctx: Context): void {
  const groups = new Map<string, { what: string; span: Span; topics: string[]; key: string }>();
  const use = (groupId: Str | undefined, what: string, topics: string[]): void => {
    if (!groupId) return;
    const key = [...topics].sort().join("\u0000");
    const first = groups.get(groupId.value);
    if (!first) groups.set(groupId.value, { what, span: groupId.span, topics, key });
    else if (first.key !== key) ctx.diagnostics.push(sharedConsumerGroup(groupId.value, groupId.span, what, topics, first));
  };
  for (const consumer of ctx.model.consumers) {
    if (ctx.brokerOf.get(consumer.node) !== "kafka") continue;
    use(strAt(consumer.node, "group_id"), `the consumer \`${consumer.name}\``, ctx.consumerTopics.get(consumer.name) ?? []);
  }
  for (const channel of ctx.model.channels) {
    if (ctx.brokerOf.get(channel.node) !== "kafka" || !channel.topic) continue;
    for (const sub of channel.subscribers) {
      use(strAt(sub.node, "group_id"), `the subscriber \`${sub.name?.value ?? "?"}\` of \`${channel.name}\``, [channel.topic.value]);
    }
  }
}
