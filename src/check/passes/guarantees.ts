// `message_guarantees` is a policy over every producer and consumer. Where a broker block or a
// consumer contradicts it, warn (the policy wins at run time); where a broker in use cannot give it, say
// so now rather than at 3 a.m.:
//  HYP4003 enable_auto_commit: true (written) while at_least_once.consumer.manual_commit
//  HYP4004 message_ordering with handler concurrency > 1 (info: what consumer_groups make of that concurrency)
//  HYP4005 idempotency storage redis with no redis_url (where the connection will come from)
//  HYP4007 transactions on aws_messaging (SQS/SNS have none: error, the guarantee cannot be given)
//  HYP4008 transactions on rabbitmq/activemq (weaker, per-channel/session: warning)
//  HYP4009 kafka.producer.acks ≠ at_least_once.producer.acks
//  HYP4010 kafka.producer.retries < at_least_once.producer.retries
//  HYP4011 at_least_once.producer.idempotence with acks other than "all"
// Only explicit values are compared: a default that differs from the policy is simply replaced by it.
import type { ObjectNode, Span } from "../../ast.js";
import type { BrokerKind } from "@hypc/runtime";
import {
  acksContradictPolicy,
  autoCommitVsManualCommit,
  idempotenceNeedsAcksAll,
  orderingWithConcurrency,
  redisConnectionImplicit,
  retriesBelowPolicy,
  transactionsUnsupported,
  transactionsWeaker,
} from "../../diagnostics/constructors/semantic.js";
import { boolAt, member, numAt, objectAt, strAt } from "./ast-read.js";
import type { Context } from "./context.js";

/** `enabled` with the spec's defaults: at_least_once on, the others off. */
function enabled(obj: ObjectNode | undefined, byDefault: boolean): boolean {
  return boolAt(obj, "enabled") ?? byDefault;
}

export function checkGuarantees(ctx: Context): void {
  const g = ctx.model.guarantees;
  if (!g) return;
  const atLeastOnce = objectAt(g, "at_least_once");
  const exactlyOnce = objectAt(g, "exactly_once");
  const ordering = objectAt(g, "message_ordering");
  if (enabled(atLeastOnce, true)) {
    checkCommits(ctx, atLeastOnce);
    checkProducerPolicy(ctx, objectAt(atLeastOnce, "producer"));
  }
  if (enabled(ordering, false)) checkOrderingConcurrency(ctx, ordering);
  if (enabled(exactlyOnce, false)) {
    const idempotence = objectAt(exactlyOnce, "idempotence");
    const storage = strAt(idempotence, "storage");
    if (enabled(idempotence, false) && storage?.value === "redis" && !member(idempotence, "redis_url")) {
      ctx.diagnostics.push(redisConnectionImplicit(storage.span));
    }
  }
  checkTransactions(ctx, atLeastOnce, exactlyOnce);
}

function checkCommits(ctx: Context, atLeastOnce: ObjectNode | undefined): void {
  const policy = objectAt(atLeastOnce, "consumer");
  if ((boolAt(policy, "manual_commit") ?? true) !== true) return;
  const policySpan = member(policy, "manual_commit")?.span ?? member(atLeastOnce, "consumer")?.keySpan ?? atLeastOnce?.span;
  if (!policySpan) return;
  const kafka = ctx.model.brokers.find((b) => b.kind === "kafka")?.node;
  const base = member(objectAt(kafka, "consumer"), "enable_auto_commit");
  if (base?.value.kind === "boolean" && base.value.value) ctx.diagnostics.push(autoCommitVsManualCommit("messaging.kafka.consumer", base.value.span, policySpan));
  for (const consumer of ctx.model.consumers) {
    const own = member(consumer.settings, "enable_auto_commit");
    if (own?.value.kind === "boolean" && own.value.value) ctx.diagnostics.push(autoCommitVsManualCommit(consumer.name, own.value.span, policySpan));
  }
}

function checkProducerPolicy(ctx: Context, policy: ObjectNode | undefined): void {
  const policyAcks = strAt(policy, "acks");
  const policyRetries = numAt(policy, "retries");
  const idempotence = member(policy, "idempotence");
  if (idempotence?.value.kind === "boolean" && idempotence.value.value && policyAcks && policyAcks.value !== "all") {
    ctx.diagnostics.push(idempotenceNeedsAcksAll(policyAcks.value, policyAcks.span, idempotence.span));
  }
  if (!brokersInUse(ctx).has("kafka")) return;
  const producer = objectAt(ctx.model.brokers.find((b) => b.kind === "kafka")?.node, "producer");
  const acks = strAt(producer, "acks");
  const retries = numAt(producer, "retries");
  if (acks && policyAcks && acks.value !== policyAcks.value) ctx.diagnostics.push(acksContradictPolicy(acks.value, acks.span, policyAcks.value, policyAcks.span));
  if (retries && policyRetries && retries.value < policyRetries.value) {
    ctx.diagnostics.push(retriesBelowPolicy("`messaging.kafka.producer`", retries.value, retries.span, policyRetries.value, policyRetries.span));
  }
}

function checkOrderingConcurrency(ctx: Context, ordering: ObjectNode | undefined): void {
  const span = member(ordering, "enabled")?.span ?? ordering?.span;
  if (!span) return;
  const handlers: { what: string; span: Span; concurrency: number }[] = [];
  for (const consumer of ctx.model.consumers) {
    for (const h of consumer.handlers) {
      if (h.concurrency && h.concurrency.value > 1) handlers.push({ what: h.handler?.value ?? h.key, span: h.concurrency.span, concurrency: h.concurrency.value });
    }
  }
  for (const channel of ctx.model.channels) {
    for (const s of channel.subscribers) {
      if (s.concurrency && s.concurrency.value > 1) handlers.push({ what: s.handler?.value ?? channel.name, span: s.concurrency.span, concurrency: s.concurrency.value });
    }
  }
  const groups = objectAt(ordering, "consumer_groups");
  if (handlers.length > 0) {
    ctx.diagnostics.push(
      orderingWithConcurrency(span, handlers, {
        singlePartition: boolAt(groups, "single_partition_consumers") ?? false,
        maxConcurrentPartitions: numAt(groups, "max_concurrent_partitions")?.value ?? 1,
      }),
    );
  }
}

function checkTransactions(ctx: Context, atLeastOnce: ObjectNode | undefined, exactlyOnce: ObjectNode | undefined): void {
  const producerTx = member(objectAt(atLeastOnce, "producer"), "transactional");
  const exactlyTx = objectAt(exactlyOnce, "transactional");
  let span: Span | undefined;
  if (enabled(atLeastOnce, true) && producerTx?.value.kind === "boolean" && producerTx.value.value) span = producerTx.value.span;
  else if (enabled(exactlyOnce, false) && boolAt(exactlyTx, "enabled") === true) span = member(exactlyTx, "enabled")?.value.span;
  if (!span) return;
  const users = usersByBroker(ctx);
  const aws = users.get("aws_messaging");
  if (aws) ctx.diagnostics.push(transactionsUnsupported("aws_messaging", span, aws));
  for (const broker of ["rabbitmq", "activemq"] as const) {
    const list = users.get(broker);
    if (list) ctx.diagnostics.push(transactionsWeaker(broker, span, list));
  }
}

/** Blocks per broker they use, with a name and span to point at. */
function usersByBroker(ctx: Context): Map<BrokerKind, { what: string; span: Span }[]> {
  const named = new Map<ObjectNode, { what: string; span: Span }>();
  const m = ctx.model;
  for (const p of m.producers) named.set(p.node, { what: `the producer \`${p.name}\``, span: p.broker?.span ?? p.nameSpan });
  for (const c of m.consumers) named.set(c.node, { what: `the consumer \`${c.name}\``, span: c.broker?.span ?? c.nameSpan });
  for (const x of m.exchanges) named.set(x.node, { what: `the exchange \`${x.name}\``, span: x.broker?.span ?? x.nameSpan });
  for (const c of m.channels) named.set(c.node, { what: `the channel \`${c.name}\``, span: c.broker?.span ?? c.nameSpan });
  if (m.deadLetter) named.set(m.deadLetter.node, { what: "the dead-letter queue", span: m.deadLetter.broker?.span ?? m.deadLetter.block.nameSpan });
  const out = new Map<BrokerKind, { what: string; span: Span }[]>();
  for (const [node, broker] of ctx.brokerOf) {
    const who = named.get(node);
    if (!who) continue;
    const list = out.get(broker) ?? [];
    list.push(who);
    out.set(broker, list);
  }
  return out;
}

function brokersInUse(ctx: Context): Set<BrokerKind> {
  return new Set(ctx.brokerOf.values());
}
