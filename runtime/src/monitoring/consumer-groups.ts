// Which consumer groups the runtime runs, on which physical topics and brokers, read from the Topology: the
// groups whose lag the consumer_lag alert watches. Group names follow core/runtime.ts: consumers use their group
// id, pub/sub subscribers their group_id, the work queue `<main queue>-workers`, DLQ handler groups `dlq-<group>`.
import type { BrokerKind, Topology } from "../topology.js";

/** group → physical topics; only the topics on `broker` when given. */
export function consumerGroupTopics(topology: Topology, broker?: BrokerKind): Map<string, readonly string[]> {
  const groups = new Map<string, Set<string>>();
  const add = (kind: BrokerKind, group: string, topic: string): void => {
    if (broker !== undefined && kind !== broker) return;
    let topics = groups.get(group);
    if (topics === undefined) groups.set(group, (topics = new Set()));
    topics.add(topic);
  };
  for (const c of topology.consumers) for (const t of c.topics) add(c.broker, c.groupId, t.name);
  for (const channel of topology.pubSub) for (const s of channel.subscribers) add(channel.broker, s.group_id, channel.topic);
  const dl = topology.deadLetter;
  if (dl !== undefined) {
    add(dl.broker, `${dl.mainQueue.name}-workers`, dl.mainQueue.name);
    for (const h of dl.handlers) for (const topic of new Set([dl.dlqQueue.name, dl.mainQueue.dlq_name])) add(dl.broker, `dlq-${h.group}`, topic);
  }
  return new Map([...groups].map(([g, t]) => [g, [...t]]));
}
