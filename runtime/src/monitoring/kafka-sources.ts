// Consumer lag from Kafka's admin API: per partition, the log end (high watermark) minus the group's committed
// offset; a partition the group has not committed yet counts from the log start (everything retained is
// unprocessed for it). A topic that does not exist yet has no lag.
import type { Admin } from "kafkajs";
import type { LagSource } from "./sources.js";

export interface KafkaLagSource {
  readonly lag: LagSource;
  close(): Promise<void>;
}

/** `admin` is a kafkajs admin client; this takes ownership (connects it now, disconnects it on close). */
export async function createKafkaLagSource(admin: Admin, groupTopics: ReadonlyMap<string, readonly string[]>): Promise<KafkaLagSource> {
  await admin.connect();
  return {
    lag: async (group) => {
      const topics = groupTopics.get(group) ?? [];
      if (topics.length === 0) return 0;
      const existing = new Set(await admin.listTopics());
      const present = topics.filter((t) => existing.has(t));
      if (present.length === 0) return 0;
      const committed = new Map<string, number>();
      for (const t of await admin.fetchOffsets({ groupId: group, topics: present })) {
        for (const p of t.partitions) if (p.offset !== "-1") committed.set(`${t.topic}\u0000${p.partition}`, Number(p.offset));
      }
      let lag = 0;
      for (const topic of present) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          const from = committed.get(`${topic}\u0000${p.partition}`) ?? Number(p.low);
          lag += Math.max(0, Number(p.high) - from);
        }
      }
      return lag;
    },
    close: () => admin.disconnect(),
  };
}
