// What createRuntime needs to run message_monitoring: a Monitoring for the topology, and lag / queue sources
// from the transports once they exist: the embedded broker's own counters, Kafka's admin API, RabbitMQ's
// passive queue declares (each over its own connection, closed by Monitoring.stop()). A source that cannot
// connect is logged and left out: monitoring never stops the runtime from starting.
import type { Logger } from "../api.js";
import { createAdapterContext } from "../core/env.js";
import { EmbeddedTransport } from "../embedded/transport.js";
import type { BrokerKind, Topology } from "../topology.js";
import type { Transport } from "../transport.js";
import { consumerGroupTopics } from "./consumer-groups.js";
import { embeddedLagSource } from "./embedded-sources.js";
import { createMonitoring, type Monitoring } from "./monitoring.js";
import type { LagSource, QueueStatsSource } from "./sources.js";

/** A topology without message_monitoring gets no alerting. */
export function createRuntimeMonitoring(topology: Topology, logger: Logger): Monitoring | undefined {
  if (topology.monitoring === undefined) return undefined;
  return createMonitoring({ monitoring: topology.monitoring, logger });
}

interface BrokerSources {
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly lag: LagSource;
  readonly queueStats?: QueueStatsSource;
  close?(): Promise<void>;
}

/** Gives monitoring the lag (and queue numbers) of every consumer group the runtime runs, where the broker tells. */
export async function useRuntimeTransports(
  monitoring: Monitoring,
  topology: Topology,
  transports: ReadonlyMap<BrokerKind, Transport>,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<void> {
  const perBroker: BrokerSources[] = [];
  const embedded = [...new Set(transports.values())].find((t): t is EmbeddedTransport => t instanceof EmbeddedTransport);
  if (embedded !== undefined) {
    const groups = consumerGroupTopics(topology);
    perBroker.push({ groups, lag: embeddedLagSource(embedded.broker, groups) });
  } else {
    for (const [kind, transport] of transports) {
      const groups = consumerGroupTopics(topology, kind);
      if (groups.size === 0) continue;
      try {
        const sources = await brokerSources(kind, transport, topology, groups, env, logger);
        if (sources !== undefined) perBroker.push(sources);
      } catch (error) {
        logger.warn(`monitoring: cannot read consumer lag from ${kind}; consumer_lag alerts and lag/queue metrics are off for it`, { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  if (perBroker.length === 0) return;
  const groups = [...new Set(perBroker.flatMap((s) => [...s.groups.keys()]))];
  const lag: LagSource = async (group) => {
    let sum = 0;
    for (const s of perBroker) if (s.groups.has(group)) sum += await s.lag(group);
    return sum;
  };
  const queueSources = perBroker.flatMap((s) => (s.queueStats === undefined ? [] : [s.queueStats]));
  monitoring.useSources({
    lag: { source: lag, groups },
    ...(queueSources.length === 0 ? {} : { queueStats: { stats: async () => (await Promise.all(queueSources.map((q) => q.stats()))).flat() } }),
    close: async () => {
      await Promise.allSettled(perBroker.map((s) => s.close?.()));
    },
  });
}

async function brokerSources(
  kind: BrokerKind,
  transport: Transport,
  topology: Topology,
  groups: ReadonlyMap<string, readonly string[]>,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<BrokerSources | undefined> {
  const ctx = createAdapterContext(topology, env, logger);
  if (transport.name === "kafka" && topology.messaging.kafka !== undefined) {
    const [{ kafkaSettings }, { createClient }, { createKafkaLagSource }] = await Promise.all([import("../adapters/kafka/settings.js"), import("../adapters/kafka/clients.js"), import("./kafka-sources.js")]);
    const settings = kafkaSettings(topology.messaging.kafka, ctx);
    const client = createClient(settings.brokers, `${settings.clientId}-monitoring`, settings.consumer.security, logger, 2);
    const source = await createKafkaLagSource(client.admin(), groups);
    return { groups, lag: source.lag, close: source.close };
  }
  if (transport.name === "rabbitmq" && topology.messaging.rabbitmq !== undefined) {
    const [{ resolveSettings }, { createRabbitMqSources }, { connect: amqpConnect }] = await Promise.all([import("../adapters/rabbitmq/settings.js"), import("./rabbitmq-sources.js"), import("amqplib")]);
    const settings = resolveSettings(topology.messaging.rabbitmq, ctx);
    const sources = await createRabbitMqSources({ url: () => amqpConnect(settings.connect, settings.socket), groupTopics: groups });
    return { groups, lag: sources.lag, queueStats: sources.queueStats, close: sources.close };
  }
  return undefined; // SQS, ActiveMQ: no lag source yet
}
