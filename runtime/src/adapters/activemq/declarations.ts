// ensureTopics: the queues of every group the configuration declares on a topic are created up front
// (attach + detach of a receiver with no credit), so messages published before a consumer starts wait in
// its queue instead of being dropped by a MULTICAST address without queues. Addresses themselves are
// auto-created by the broker on first use.
import type { Topology } from "../../topology.js";
import type { TopicSpec } from "../../transport.js";
import { TransportError } from "../../errors.js";
import { describe, type ConnectionPool } from "./connection.js";
import { fullyQualifiedQueue, TOPIC_CAPABILITY } from "./naming.js";
import type { ActiveMqSettings } from "./settings.js";

export async function declareGroupQueues(
  pool: ConnectionPool,
  settings: ActiveMqSettings,
  topology: Topology,
  specs: readonly TopicSpec[],
): Promise<void> {
  const wanted: { topic: string; group: string }[] = [];
  for (const spec of specs) for (const group of declaredGroups(topology, spec.name)) wanted.push({ topic: spec.name, group });
  if (wanted.length === 0) return;
  const connection = await pool.publisherConnection();
  await Promise.all(wanted.map(({ topic, group }) => new Promise<void>((resolve, reject) => {
    const receiver = connection.conn.open_receiver({
      source: { address: fullyQualifiedQueue(topic, group), capabilities: [TOPIC_CAPABILITY], durable: 2, expiry_policy: "never" },
      credit_window: 0,
      autoaccept: false,
    });
    const timer = setTimeout(() => {
      receiver.close();
      reject(new TransportError(`activemq: queue for group ${group} on ${topic} not created within ${settings.sessionTimeoutMs} ms`, { retriable: true, topic }));
    }, settings.sessionTimeoutMs);
    receiver.once("receiver_open", () => {
      clearTimeout(timer);
      receiver.close();
      resolve();
    });
    receiver.once("receiver_error", () => {
      clearTimeout(timer);
      reject(new TransportError(`activemq: queue for group ${group} on ${topic} refused: ${describe(receiver.error)}`, { retriable: false, topic }));
    });
  })));
}

function declaredGroups(topology: Topology, topic: string): string[] {
  const groups = new Set<string>();
  for (const consumer of topology.consumers) {
    if (consumer.broker === "activemq" && consumer.topics.some((t) => t.name === topic)) groups.add(consumer.groupId);
  }
  for (const channel of topology.pubSub) {
    if (channel.broker === "activemq" && channel.topic === topic) for (const s of channel.subscribers) groups.add(s.group_id);
  }
  return [...groups];
}
