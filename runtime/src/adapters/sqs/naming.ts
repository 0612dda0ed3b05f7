// Physical topic names (`hypnoscript.events.script-events`) are not valid SQS/SNS names: those allow only
// [A-Za-z0-9_-], SQS queues at most 80 characters (including `.fifo`). These pure functions map our names
// to broker names, deterministically, so every process derives the same queue for the same (topic, group).
//
//   SNS topic   <topic>[.fifo]
//   group queue <topic>__<group>[.fifo]         one per consumer group (fan-out unit)
//   its DLQ     <topic>__<group>__dlq[.fifo]    RedrivePolicy target
//
// `__` never occurs inside a part (collapsed to `_`), so `<topic>__` is an exact prefix of the topic's
// group queues: the SQS-only fan-out lists queues by that prefix.
import { createHash } from "node:crypto";

const SQS_NAME_MAX = 80;
const SUFFIX_RESERVE = "__dlq".length + ".fifo".length;
const TOPIC_PART_MAX = 50;

const hash8 = (text: string): string => createHash("sha1").update(text).digest("hex").slice(0, 8);

/** Valid characters only, no `__` inside (it is our separator); names ending in .fifo lose that suffix. */
export function sanitize(name: string): string {
  const base = name.endsWith(".fifo") ? name.slice(0, -".fifo".length) : name;
  const clean = base.replace(/[^A-Za-z0-9_-]/g, "_").replace(/_{2,}/g, "_");
  return clean === "" ? "_" : clean;
}

/** Shortened with a hash when too long, so distinct long names stay distinct. */
function fit(part: string, max: number): string {
  if (part.length <= max) return part;
  return `${part.slice(0, Math.max(1, max - 9))}_${hash8(part)}`;
}

export function topicPart(topic: string): string {
  return fit(sanitize(topic), TOPIC_PART_MAX);
}

export function snsTopicName(topic: string, fifo: boolean): string {
  return topicPart(topic) + (fifo ? ".fifo" : "");
}

/** Prefix shared by every group queue of `topic` (and only by them, plus their DLQs). */
export function groupQueuePrefix(topic: string): string {
  return `${topicPart(topic)}__`;
}

export function groupQueueName(topic: string, group: string, fifo: boolean): string {
  const prefix = groupQueuePrefix(topic);
  return prefix + fit(sanitize(group), SQS_NAME_MAX - SUFFIX_RESERVE - prefix.length) + (fifo ? ".fifo" : "");
}

export function deadLetterQueueName(queueName: string): string {
  const fifo = queueName.endsWith(".fifo");
  const base = fifo ? queueName.slice(0, -".fifo".length) : queueName;
  return `${base}__dlq${fifo ? ".fifo" : ""}`;
}

/** True for a group queue of the topic whose prefix was listed (not one of their DLQs). */
export function isGroupQueueOf(prefix: string, queueName: string): boolean {
  if (!queueName.startsWith(prefix)) return false;
  const rest = queueName.slice(prefix.length).replace(/\.fifo$/, "");
  return rest.length > 0 && !rest.includes("__");
}

export function queueNameFromUrl(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}
