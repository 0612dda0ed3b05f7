// Topology on Artemis (AMQP 1.0):
//   topic           -> MULTICAST address `<topic>` (publishers send to it with the "topic" capability)
//   (topic, group)  -> durable MULTICAST queue `<topic>--<group>` bound to it, opened by its fully qualified
//                      name `<topic>::<topic>--<group>`: every group gets every message (fan-out); the
//                      group's consumers compete on the queue.
//   exclusive group -> a non-durable subscription queue the broker deletes when the link closes.
// Ordering per key: the key travels as AMQP group-id, which Artemis uses for message groups (one consumer per
// key at a time); inside one subscriber, messages of a key run one after another.

export function groupQueueName(topic: string, group: string): string {
  return `${topic}--${group}`;
}

export function fullyQualifiedQueue(topic: string, group: string): string {
  return `${topic}::${groupQueueName(topic, group)}`;
}

export const TOPIC_CAPABILITY = "topic";
