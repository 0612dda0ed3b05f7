// Which consumer groups the runtime runs and on which physical topics, read from the Topology: the groups whose
// lag the consumer_lag alert watches. Group names follow core/runtime.ts: consumers use their group id, pub/sub
// subscribers their group_id, the work queue `<main queue>-workers`, DLQ handler groups `dlq-<group>`.
import type { Topology } from "../topology.js";

export function consumerGroupTopics(topology: Topology): Map<string, readonly string[]> {
  const groups = new Map<string, Set<string>>();
  const add = (group: string, topic: string): void => {
    let topics = groups.get(group);
    if (topics === undefined) groups.set(group, (topics = new Set()));
    topics.add(topic);
  };
  for (const c of topology.consumers) for (const t of c.topics) add(c.groupId, t.name);
  for (const channel of topology.pubSub) for (const s of channel.subscribers) add(s.group_id, channel.topic);
  const dl = topology.deadLetter;
  if (dl !== undefined) {
    add(`${dl.mainQueue.name}-workers`, dl.mainQueue.name);
    for (const h of dl.handlers) for (const topic of new Set([dl.dlqQueue.name, dl.mainQueue.dlq_name])) add(`dlq-${h.group}`, topic);
  }
  return new Map([...groups].map(([g, t]) => [g, [...t]]));
}
