// Constructors of the HYP3xxx (references and resolution) and HYP4xxx (expert advice) diagnostics.
// One function per code; the semantic passes in src/check/passes/ call them. Voice: plain words, name
// the thing, end with the fix.
import type { Span } from "../../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import { makeDiagnostic as make } from "./make.js";
import { didYouMean } from "../did-you-mean.js";

const list = (items: readonly string[]): string => items.map((i) => `\`${i}\``).join(", ");

// ---- HYP3xxx: references and resolution -----------------------------------------------------------

export function brokerNotConfigured(broker: string, span: Span, owner: string, configured: readonly string[], messagingSpan?: Span): Diagnostic {
  return make(
    "HYP3001",
    `${owner} uses the broker \`${broker}\`, but \`messaging\` does not configure \`${broker}\`.`,
    span,
    {
      label: "not configured",
      secondary: messagingSpan ? [{ span: messagingSpan, message: "brokers are configured here" }] : [],
      help:
        configured.length > 0
          ? `Use one of the configured brokers (${list(configured)}), or add a \`${broker}: { … }\` section to \`messaging\`.`
          : `Add a \`${broker}: { … }\` section to the \`messaging\` block.`,
      suggestions: configured,
    },
  );
}

export function implicitDefaultBroker(chosen: string, span: Span, owners: readonly { what: string; span: Span }[], chosenSpan: Span): Diagnostic {
  const first = owners[0]?.what ?? "a block";
  const more = owners.length > 1 ? ` and ${owners.length - 1} more block${owners.length > 2 ? "s" : ""}` : "";
  return make(
    "HYP3002",
    `${first}${more} name${owners.length > 1 ? "" : "s"} no broker, so I use \`${chosen}\`, the first broker configured in \`messaging\`.`,
    span,
    {
      label: `uses \`${chosen}\``,
      secondary: [
        ...owners.slice(1).map((o) => ({ span: o.span, message: `also uses \`${chosen}\`` })),
        { span: chosenSpan, message: "first configured broker" },
      ],
      help: `Choose explicitly: add \`default_broker: "${chosen}"\` to \`messaging\`, or a \`broker: "…"\` key to each of these blocks.`,
    },
  );
}

export function noBrokerConfigured(span: Span, owner: string): Diagnostic {
  return make("HYP3003", `${owner} needs a broker, but no broker is configured in \`messaging\`.`, span, {
    label: "needs a broker",
    help: "Add a `messaging { kafka: { … } }` block (or rabbitmq, activemq, aws_messaging) describing at least one broker.",
  });
}

export function undefinedEventType(eventType: string, span: Span, where: string, known: readonly string[]): Diagnostic {
  return make("HYP3004", `${where} refers to the event type \`${eventType}\`, but no event in \`events\` declares it.`, span, {
    label: "unknown event type",
    help: `Declare it in \`events\` (\`event_type: "${eventType}"\`) or use one of the declared event types.`,
    suggestions: known,
  });
}

export function duplicateEventType(eventType: string, span: Span, first: Span, name: string, firstName: string): Diagnostic {
  return make("HYP3005", `The event type \`${eventType}\` is declared twice: by \`${firstName}\` and by \`${name}\`.`, span, {
    label: "declared again here",
    secondary: [{ span: first, message: `first declared by \`${firstName}\`` }],
    help: "Give each event its own `event_type`, or remove one of the two declarations.",
  });
}

export function duplicateEventName(name: string, span: Span, first: Span, group: string, firstGroup: string): Diagnostic {
  return make(
    "HYP3006",
    `The event name \`${name}\` is used in the groups \`${firstGroup}\` and \`${group}\`; it names one generated type, so it must be unique.`,
    span,
    {
      label: "second event with this name",
      secondary: [{ span: first, message: `first declared in \`${firstGroup}\`` }],
      help: `Rename one of them, e.g. \`${group.replace(/Events$/, "")}${name}\`.`,
    },
  );
}

export function invalidTypeName(name: string, span: Span, what: "event" | "event group"): Diagnostic {
  const fixed = toPascal(name);
  return make("HYP3007", `The ${what} name \`${name}\` cannot be a TypeScript type name.`, span, {
    label: "not a valid identifier",
    help: `Use letters, digits and \`_\`, starting with a letter${fixed && fixed !== name ? `, e.g. \`${fixed}\`` : ""}.`,
  });
}

export function partitionKeyNotInPayload(field: string, span: Span, where: string, events: readonly string[], fields: readonly string[]): Diagnostic {
  return make(
    "HYP3008",
    `${where} keys messages by \`${field}\`, but ${events.length === 1 ? `the payload of \`${events[0]}\` has` : `the payloads of ${list(events)} have`} no field \`${field}\`.`,
    span,
    {
      label: "not a payload field",
      help: fields.length > 0 ? `Use a payload field (${list(fields.slice(0, 8))}${fields.length > 8 ? ", …" : ""}) or add \`${field}\` to the payload.` : `Add \`${field}\` to the payload.`,
      suggestions: didYouMean(field, fields),
    },
  );
}

export function orderingFieldsMissing(eventType: string, span: Span, fields: readonly string[], orderingSpan: Span): Diagnostic {
  return make(
    "HYP3009",
    `\`message_ordering\` orders messages by ${list(fields)}, but the payload of \`${eventType}\` has none of these fields, so its messages are ordered per partition only.`,
    span,
    {
      label: "no ordering field",
      secondary: [{ span: orderingSpan, message: "ordering fields declared here" }],
      help: `Add ${fields.length === 1 ? list(fields) : `one of ${list(fields)}`} to the payload of \`${eventType}\`, or add one of its fields to \`message_ordering.partition_key.fields\`.`,
    },
  );
}

export function unknownOrderingField(field: string, span: Span, known: readonly string[]): Diagnostic {
  return make("HYP3010", `The ordering field \`${field}\` is not a payload field of any event routed by a producer or channel.`, span, {
    label: "no event has this field",
    help: "Name a payload field of the events you produce, or remove it from `fields`.",
    suggestions: known,
  });
}

export function ambiguousTopic(logical: string, span: Span, physical: string, producer: string, first: { physical: string; producer: string; span: Span }): Diagnostic {
  return make(
    "HYP3011",
    `The topic \`${logical}\` means \`${first.physical}\` for \`${first.producer}\` but \`${physical}\` for \`${producer}\`, so a consumer naming \`${logical}\` is ambiguous.`,
    span,
    {
      label: `\`${physical}\` here`,
      secondary: [{ span: first.span, message: `\`${first.physical}\` here` }],
      help: "Give the two topics different names, or use the same `topic_prefix` in both producers.",
    },
  );
}

export function topicNotProduced(topic: string, span: Span, consumer: string, known: readonly string[]): Diagnostic {
  return make(
    "HYP3012",
    `\`${consumer}\` subscribes to \`${topic}\`, but no producer, channel or request-reply exchange of this configuration writes to it; I use the name as written and assume it is filled from outside.`,
    span,
    {
      label: "produced nowhere here",
      help: "If the topic comes from another system this is fine; otherwise route an event to it in `event_producers`, or fix the name.",
      suggestions: known,
    },
  );
}

export function topicBrokerMismatch(topic: string, span: Span, what: string, broker: string, other: { what: string; broker: string; span: Span }): Diagnostic {
  return make("HYP3013", `${capitalize(what)} uses \`${topic}\` on \`${broker}\`, but ${other.what} puts it on \`${other.broker}\`.`, span, {
    label: `on \`${broker}\``,
    secondary: [{ span: other.span, message: `on \`${other.broker}\`` }],
    help: "A topic lives on one broker: use the same `broker` for both, or use different topics.",
  });
}

export function handlerEventNeverArrives(eventType: string, span: Span, consumer: string, topics: readonly string[], arriving: readonly string[]): Diagnostic {
  return make(
    "HYP3014",
    `\`${consumer}\` handles \`${eventType}\`, but no producer routes \`${eventType}\` to its topics (${list(topics)}), so this handler never runs.`,
    span,
    {
      label: "never arrives",
      help: `Subscribe to the topic that carries \`${eventType}\`, or remove the handler.${arriving.length > 0 ? ` These topics carry ${list(arriving)}.` : ""}`,
    },
  );
}

export function dlqNameMismatch(dlqName: string, span: Span, dlqQueue: string | undefined, queueSpan: Span | undefined): Diagnostic {
  return make(
    "HYP3015",
    dlqQueue !== undefined
      ? `The main queue dead-letters to \`${dlqName}\`, but the dead-letter queue is named \`${dlqQueue}\`.`
      : `The main queue dead-letters to \`${dlqName}\`, but \`dlq_config\` declares no \`dlq_queue\` with a name.`,
    span,
    {
      label: "no such dead-letter queue",
      secondary: queueSpan ? [{ span: queueSpan, message: "the dead-letter queue" }] : [],
      help: dlqQueue !== undefined ? `Write \`dlq_name: "${dlqQueue}"\`, or rename the dead-letter queue.` : `Add \`dlq_queue: { name: "${dlqName}" }\` to \`dlq_config\`.`,
      suggestions: dlqQueue !== undefined ? [dlqQueue] : [],
    },
  );
}

export function requestReplySameTopic(exchange: string, span: Span, topic: string, requestSpan: Span): Diagnostic {
  return make("HYP3016", `\`${exchange}\` sends requests and replies on the same topic \`${topic}\`; requesters would receive their own requests.`, span, {
    label: "same as the request topic",
    secondary: [{ span: requestSpan, message: "request topic" }],
    help: `Use a separate reply topic, e.g. \`reply_topic: "${topic.replace(/\.request$/, "")}.reply"\`.`,
  });
}

export function invalidHandlerName(name: string, span: Span): Diagnostic {
  const fixed = toPascal(name);
  return make("HYP3017", `The handler name \`${name}\` is not a valid TypeScript identifier, so it cannot name a handler slot.`, span, {
    label: "not an identifier",
    help: `Use letters, digits and \`_\`, starting with a letter${fixed && fixed !== name ? `, e.g. \`${fixed}\`` : ""}.`,
  });
}

export function handlerNameConflict(name: string, span: Span, what: string, first: { what: string; span: Span }): Diagnostic {
  return make(
    "HYP3018",
    `The handler name \`${name}\` is used for ${what} and for ${first.what}; one name is one typed slot, so they cannot share it.`,
    span,
    {
      label: "second use",
      secondary: [{ span: first.span, message: "first use" }],
      help: "Give each handler its own name. (The same name is allowed only for exactly the same event types in the same role.)",
    },
  );
}

export function handlerNameStyle(name: string, span: Span): Diagnostic {
  return make("HYP3019", `The handler name \`${name}\` is not PascalCase; generated slot types read better when it is.`, span, {
    label: "not PascalCase",
    help: `Consider \`${toPascal(name)}\`.`,
  });
}

export function inferredEvents(what: string, span: Span, eventTypes: readonly string[], reason: string): Diagnostic {
  return make("HYP3020", `${what} declares no \`events\`; ${reason}, so it carries ${eventTypes.length === 0 ? "no events" : list(eventTypes)}.`, span, {
    label: "events inferred",
    help: "To choose explicitly, add `events: [\"…\"]` with event types or event group names.",
  });
}

export function unhandledEventTypes(consumer: string, span: Span, eventTypes: readonly string[]): Diagnostic {
  const one = eventTypes.length === 1;
  return make(
    "HYP3021",
    `\`${consumer}\` reads ${list(eventTypes)} on its topics but has no handler for ${one ? "it" : "them"}; the runtime acknowledges such messages and skips them.`,
    span,
    {
      label: `no handler for ${list(eventTypes)}`,
      help: `Nothing to do if ${one ? "it is" : "they are"} not for this consumer; otherwise add a handler for ${list(eventTypes)} or a \`"*"\` handler.`,
    },
  );
}

// ---- HYP4xxx: expert advice -------------------------------------------------------------------------

export function heartbeatTooHigh(where: string, span: Span, heartbeat: number, session: number, sessionSpan?: Span): Diagnostic {
  const advised = Math.floor(session / 3);
  return make(
    "HYP4001",
    `${where}: \`heartbeat_interval_ms\` (${heartbeat}) is not below a third of \`session_timeout_ms\` (${session}); one late heartbeat can get the consumer evicted and its partitions rebalanced.`,
    span,
    {
      label: "too close to the session timeout",
      secondary: sessionSpan ? [{ span: sessionSpan, message: "session timeout" }] : [],
      help: `Set \`heartbeat_interval_ms\` to at most ${advised}, or raise \`session_timeout_ms\`.`,
    },
  );
}

export function pollIntervalBelowSession(where: string, span: Span, poll: number, session: number, sessionSpan?: Span): Diagnostic {
  return make(
    "HYP4002",
    `${where}: \`max_poll_interval_ms\` (${poll}) is below \`session_timeout_ms\` (${session}); a slow batch gets the consumer removed from the group before the session would expire.`,
    span,
    {
      label: "below the session timeout",
      secondary: sessionSpan ? [{ span: sessionSpan, message: "session timeout" }] : [],
      help: `Set \`max_poll_interval_ms\` to at least ${session}.`,
    },
  );
}

export function autoCommitVsManualCommit(consumer: string, span: Span, policySpan: Span): Diagnostic {
  return make(
    "HYP4003",
    `\`${consumer}\` enables auto-commit, but \`message_guarantees.at_least_once\` asks for manual commits; offsets may be committed before a message is handled, and a crash then loses it.`,
    span,
    {
      label: "auto-commit",
      secondary: [{ span: policySpan, message: "manual commits required here" }],
      help: "The runtime commits after handling anyway (the policy wins); write `enable_auto_commit: false` to say so, or turn `at_least_once.consumer.manual_commit` off.",
    },
  );
}

/** message_ordering.consumer_groups as the runtime applies it (spec defaults: false, 1). */
export interface OrderingConsumerGroups {
  readonly singlePartition: boolean;
  readonly maxConcurrentPartitions: number;
}

export function orderingWithConcurrency(
  span: Span,
  handlers: readonly { what: string; span: Span; concurrency: number }[],
  groups: OrderingConsumerGroups = { singlePartition: false, maxConcurrentPartitions: 1 },
): Diagnostic {
  const n = groups.maxConcurrentPartitions;
  const partitions = `${n} partition${n === 1 ? "" : "s"}`;
  const behaviour = groups.singlePartition
    ? `the runtime handles one message per partition at a time, in offset order, from at most ${partitions} at once (\`max_concurrent_partitions\`), so each subscription runs at most ${n} message${n === 1 ? "" : "s"} at once whatever its concurrency (batch handlers excepted: they keep per-key order).`
    : `the runtime handles messages with the same partition key one after another and runs different keys concurrently, from at most ${partitions} at once (\`max_concurrent_partitions\`).`;
  return make(
    "HYP4004",
    `\`message_ordering\` is enabled and ${handlers.length} handler${handlers.length === 1 ? " runs" : "s run"} with concurrency > 1: ${behaviour}`,
    span,
    {
      label: "ordering enabled",
      secondary: handlers.slice(0, 8).map((h) => ({ span: h.span, message: `${h.what}: concurrency ${h.concurrency}` })),
      help: groups.singlePartition
        ? `Their \`concurrency\` does not take effect beyond ${n} at once. If partition order is what you need, set \`concurrency: ${n}\` to say so; otherwise raise \`max_concurrent_partitions\` to handle more partitions side by side, or set \`single_partition_consumers: false\` for per-key order only.`
        : "Their `concurrency` only applies across keys. If per-key order is what you need, nothing to change; set `single_partition_consumers: true` for one message at a time per partition, in offset order.",
    },
  );
}

export function redisConnectionImplicit(span: Span): Diagnostic {
  return make(
    "HYP4005",
    "The idempotency store is `redis` but no connection is configured; at start-up the runtime connects to env HYPC_REDIS_URL, else redis://127.0.0.1:6379.",
    span,
    {
      label: "which Redis?",
      help: "Add `redis_url: env.REDIS_URL` next to `storage` so every deployment says where its store is.",
    },
  );
}

export function saslPlainWithoutSsl(where: string, span: Span, sslSpan?: Span): Diagnostic {
  return make("HYP4006", `${where} uses SASL PLAIN without SSL, so the username and password travel in clear text.`, span, {
    label: "PLAIN",
    secondary: sslSpan ? [{ span: sslSpan, message: "SSL off" }] : [],
    help: "Write `ssl_enabled: true`, or use `sasl_mechanism: \"SCRAM-SHA-512\"`.",
  });
}

export function transactionsUnsupported(broker: string, span: Span, users: readonly { what: string; span: Span }[]): Diagnostic {
  return make(
    "HYP4007",
    `\`message_guarantees\` asks for transactions, but ${users[0]?.what ?? "a block"} uses \`${broker}\`, which has no transactions: its messages cannot be sent and acknowledged atomically.`,
    span,
    {
      label: "transactions requested",
      secondary: users.slice(0, 8).map((u) => ({ span: u.span, message: `on \`${broker}\`` })),
      help: `Move these blocks to a broker with transactions (\`kafka\`), or turn transactions off (\`transactional: false\` / \`transactional.enabled: false\`) and rely on idempotent handling.`,
    },
  );
}

export function transactionsWeaker(broker: string, span: Span, users: readonly { what: string; span: Span }[]): Diagnostic {
  const how =
    broker === "rabbitmq"
      ? "RabbitMQ channel transactions (tx.select) make publishes and acks on one channel atomic, but are slow and do not span queues or brokers"
      : "ActiveMQ transacted sessions make sends and acks of one session atomic, but not across sessions or brokers";
  return make("HYP4008", `\`message_guarantees\` asks for transactions on \`${broker}\`: ${how}.`, span, {
    label: "transactions requested",
    secondary: users.slice(0, 8).map((u) => ({ span: u.span, message: `on \`${broker}\`` })),
    help: "Keep it if per-channel atomicity is enough and rely on the idempotency store for the rest; otherwise move these blocks to `kafka`.",
  });
}

export function acksContradictPolicy(acks: string, span: Span, policyAcks: string, policySpan: Span): Diagnostic {
  return make(
    "HYP4009",
    `\`messaging.kafka.producer.acks\` is \`${acks}\`, but \`message_guarantees.at_least_once.producer.acks\` asks for \`${policyAcks}\`; the policy wins at run time.`,
    span,
    {
      label: `acks ${acks}`,
      secondary: [{ span: policySpan, message: `policy: acks ${policyAcks}` }],
      help: `Write \`acks: "${policyAcks}"\` here so the configuration says what happens.`,
    },
  );
}

export function retriesBelowPolicy(where: string, retries: number, span: Span, policyRetries: number, policySpan: Span): Diagnostic {
  return make(
    "HYP4010",
    `${where} retries ${retries} time${retries === 1 ? "" : "s"}, fewer than the ${policyRetries} that \`message_guarantees.at_least_once.producer.retries\` asks for; the policy wins at run time.`,
    span,
    {
      label: `${retries} ${retries === 1 ? "retry" : "retries"}`,
      secondary: [{ span: policySpan, message: `policy: ${policyRetries}` }],
      help: `Write \`retries: ${policyRetries}\` here (or more), or lower the policy.`,
    },
  );
}

export function idempotenceNeedsAcksAll(acks: string, span: Span, idempotenceSpan: Span): Diagnostic {
  return make("HYP4011", `An idempotent producer needs \`acks: "all"\`, but the producer acks are \`${acks}\`; Kafka refuses idempotence with fewer acks.`, span, {
    label: `acks ${acks}`,
    secondary: [{ span: idempotenceSpan, message: "idempotence requested here" }],
    help: 'Write `acks: "all"`, or turn `idempotence` off.',
  });
}

export function sharedConsumerGroup(groupId: string, span: Span, what: string, topics: readonly string[], first: { what: string; span: Span; topics: readonly string[] }): Diagnostic {
  return make(
    "HYP4012",
    `${capitalize(what)} and ${first.what} share the Kafka consumer group \`${groupId}\` but read different topics (${list(topics)} vs ${list(first.topics)}); every rebalance of one pauses the other, and their lag and offsets mix in one group.`,
    span,
    {
      label: "shared group",
      secondary: [{ span: first.span, message: "first used here" }],
      help: `Give one of them its own \`group_id\`, e.g. \`"${groupId}-${topics[0]?.split(".").pop() ?? "2"}"\`.`,
    },
  );
}

// ---- helpers ------------------------------------------------------------------------------------

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `script-created handler` → `ScriptCreatedHandler`: a suggestion, never applied silently. */
export function toPascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}
