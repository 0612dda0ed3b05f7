// Topic creation with the admin client (auto-creation is off on our brokers: a typo must not create a
// topic) and the start position of new groups.
import type { Admin } from "kafkajs";
import type { Logger } from "../../api.js";
import type { TopicSpec } from "../../transport.js";
import { TransportError } from "../../errors.js";
import { transportError } from "./errors.js";

const ENSURE_ATTEMPTS = 6;

/**
 * Creates missing topics (partitions, retention), grows partition counts that are too small. Idempotent, so
 * retriable failures (a cluster still electing leaders right after start: UNKNOWN_TOPIC_OR_PARTITION,
 * LEADER_NOT_AVAILABLE) are simply tried again, a few times.
 */
export async function ensureTopics(admin: Admin, topics: readonly TopicSpec[], logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureTopicsOnce(admin, topics, logger);
    } catch (error) {
      const retriable = error instanceof TransportError && error.retriable;
      if (!retriable || attempt >= ENSURE_ATTEMPTS) throw error;
      logger.debug("kafka: ensureTopics failed, trying again", { attempt, error: String(error) });
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

async function ensureTopicsOnce(admin: Admin, topics: readonly TopicSpec[], logger: Logger): Promise<void> {
  if (topics.length === 0) return;
  const wanted = new Map(topics.map((t) => [t.name, t]));
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted.values()].filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: Math.max(1, t.partitions),
          ...(t.retentionSeconds === undefined ? {} : { configEntries: [{ name: "retention.ms", value: String(t.retentionSeconds * 1000) }] }),
        })),
      });
    }
    const present = [...wanted.values()].filter((t) => existing.has(t.name));
    if (present.length === 0) return;
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
    const grow = metadata.topics
      .map((m) => ({ topic: m.name, have: m.partitions.length, want: wanted.get(m.name)?.partitions ?? 1 }))
      .filter((t) => t.have < t.want);
    if (grow.length > 0) {
      // Kafka can add partitions, never remove them. Keys move to other partitions from now on: say so.
      for (const g of grow) logger.warn("kafka: topic has fewer partitions than configured; adding partitions", g);
      await admin.createPartitions({ topicPartitions: grow.map((g) => ({ topic: g.topic, count: g.want })) });
    }
  } catch (error) {
    // A concurrent creator (another process) is fine: TOPIC_ALREADY_EXISTS means the topic is there.
    if (error instanceof Error && /already exists/i.test(error.message)) return;
    throw transportError(`ensuring topics ${[...wanted.keys()].join(", ")}`, error, { topic: topics[0]?.name });
  }
}

/**
 * Where a NEW group starting at "latest" begins: the end of each partition now, before the consumer joins.
 * The subscriber skips (seeks past) anything below it. Every message published after subscribe() resolves
 * therefore reaches the group, with no race against kafkajs's own "latest" lookup at its first fetch.
 * Undefined for a group that has committed offsets (it resumes there).
 */
export async function latestStart(admin: Admin, groupId: string, topics: readonly string[]): Promise<Map<string, number> | undefined> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  if (committed.some((t) => t.partitions.some((p) => p.offset !== "-1"))) return undefined;
  const floors = new Map<string, number>();
  for (const topic of topics) {
    for (const end of await admin.fetchTopicOffsets(topic)) floors.set(`${topic}\u0000${end.partition}`, Number(end.high));
  }
  return floors;
}
