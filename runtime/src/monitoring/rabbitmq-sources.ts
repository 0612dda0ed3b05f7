// Lag and queue numbers from RabbitMQ over AMQP (passive queue.declare): the adapter gives every consumer group
// one durable queue per topic (`<topic>/<group>`, adapters/rabbitmq/names.ts), so a group's lag is the number
// of ready messages in its queues. AMQP tells ready messages and consumers only: queue size (with
// unacknowledged) and message age need the management API and are left out here.
import type { Channel, ChannelModel } from "amqplib";
import { groupQueue } from "../adapters/rabbitmq/names.js";
import type { LagSource, QueueStats, QueueStatsSource } from "./sources.js";

export interface RabbitMqSourcesOptions {
  /** amqp://user:pass@127.0.0.1:5672/vhost, or a function opening the connection (the adapter's settings). */
  readonly url: string | (() => Promise<ChannelModel>);
  readonly groupTopics: ReadonlyMap<string, readonly string[]>;
}

export interface RabbitMqSources {
  readonly lag: LagSource;
  readonly queueStats: QueueStatsSource;
  close(): Promise<void>;
}

export async function createRabbitMqSources(o: RabbitMqSourcesOptions): Promise<RabbitMqSources> {
  // amqplib is loaded only when RabbitMQ is monitored (apps on other brokers never load it).
  const connection: ChannelModel = typeof o.url === "string" ? await (await import("amqplib")).connect(o.url, { noDelay: true }) : await o.url();
  connection.on("error", () => undefined); // surfaced through the failing checks instead
  let channel: Promise<Channel> | undefined;

  /** Ready messages and consumers of a queue; a queue not declared yet holds nothing. */
  const checkNow = async (queue: string): Promise<{ messageCount: number; consumerCount: number } | undefined> => {
    // A passive declare of a missing queue closes the channel (404): use a fresh channel after that.
    const ch = await (channel ??= connection.createChannel().then((c) => {
      c.on("error", () => undefined);
      c.on("close", () => (channel = undefined));
      return c;
    }));
    try {
      return await ch.checkQueue(queue);
    } catch (error) {
      channel = undefined;
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  };
  // One check at a time: a 404 closes the shared channel under any check running beside it.
  let tail: Promise<unknown> = Promise.resolve();
  const check = (queue: string): Promise<{ messageCount: number; consumerCount: number } | undefined> => {
    const result = tail.then(() => checkNow(queue));
    tail = result.catch(() => undefined);
    return result;
  };

  const queuesOf = (group: string): string[] => (o.groupTopics.get(group) ?? []).map((topic) => groupQueue(topic, group));
  return {
    lag: async (group) => {
      let lag = 0;
      for (const queue of queuesOf(group)) lag += (await check(queue))?.messageCount ?? 0;
      return lag;
    },
    queueStats: {
      stats: async () => {
        const stats: QueueStats[] = [];
        for (const group of o.groupTopics.keys()) {
          for (const queue of queuesOf(group)) {
            const q = await check(queue);
            if (q !== undefined) stats.push({ queue, depth: q.messageCount, consumers: q.consumerCount });
          }
        }
        return stats;
      },
    },
    close: async () => {
      await connection.close().catch(() => undefined);
    },
  };
}
