// Names of the broker objects the adapter declares. "/" separates the parts because neither topic names
// (`hypnoscript.events.script-events`) nor group ids use it, so a group called "dlq" cannot collide with a
// group's DLQ. RabbitMQ allows 255 bytes per name; longer names keep a readable prefix plus a hash.
import { createHash } from "node:crypto";

const MAX_NAME_BYTES = 255;

/** Durable topic exchange a producer publishes to: the physical topic name itself. */
export const topicExchange = (topic: string): string => fit(topic);
/** Alternate exchange + queue of a topic: messages no group queue was bound for yet are kept, not dropped. */
export const unroutedName = (topic: string): string => fit(`${topic}/unrouted`);
/** Durable queue of one consumer group on one topic (competing consumers share it). */
export const groupQueue = (topic: string, group: string): string => fit(`${topic}/${group}`);
/** Exclusive, auto-delete queue of one subscriber instance (reply listeners, ephemeral fan-out). */
export const exclusiveQueue = (topic: string, group: string, instance: string): string =>
  fit(`${topic}/${group}/exclusive/${instance}`);
/** Dead-letter exchange (fanout) and queue of a main queue. */
export const deadLetterExchange = (queue: string): string => fit(`${queue}/dlx`);
export const deadLetterQueue = (queue: string): string => fit(`${queue}/dlq`);
/** One fixed-TTL queue per delay step of a main queue; expired messages go back to the main queue. */
export const retryQueue = (queue: string, delayMs: number): string => fit(`${queue}/retry/${delayMs}ms`);

function fit(name: string): string {
  // ≤ 63 UTF-16 units is ≤ 255 UTF-8 bytes: skip the byte count on the publish hot path.
  if (name.length <= 63 || Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 16);
  let prefix = name.slice(0, 200);
  while (Buffer.byteLength(prefix) > 200) prefix = prefix.slice(0, -1);
  return `${prefix}~${hash}`;
}

/**
 * Delay steps are rounded UP to two significant digits (1234 ms → 1300 ms): a retry never comes early,
 * and jittered delays share a bounded number of fixed-TTL queues (≤ 90 per decade) instead of one each.
 */
export function delayStep(delayMs: number): number {
  const ms = Math.max(1, Math.ceil(delayMs));
  if (ms < 100) return ms;
  const unit = 10 ** (Math.floor(Math.log10(ms)) - 1);
  return Math.ceil(ms / unit) * unit;
}
