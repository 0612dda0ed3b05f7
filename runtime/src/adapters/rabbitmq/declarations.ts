// Declares the broker objects of the topology table in docs/brokers/rabbitmq.md, idempotently:
//   topic T            → durable topic exchange T, alternate-exchange T/unrouted (fanout) → queue T/unrouted
//   group G on T       → durable queue T/G bound with "#", dead-lettering to fanout T/G/dlx → queue T/G/dlq;
//                        ordered groups add x-single-active-consumer (one active consumer keeps key order)
//   delayed retry d ms → durable queue T/G/retry/<d>ms with x-message-ttl d, dead-lettering back to T/G
//                        through the default exchange (one TTL per queue: expiry only happens at the head)
//   exclusive sub      → exclusive auto-delete queue T/G/exclusive/<id> bound with "#"
// Declarations are cached per connection; the cache is cleared when the connection recovers.
// A durable object that already exists with other arguments (406 PRECONDITION_FAILED) is used as it is,
// with a warning, rather than failing every start-up of a fleet that mixes versions.
import type { Channel } from "amqplib";
import type { Logger } from "../../api.js";
import { TransportError } from "../../errors.js";
import { withRpcTimeout, type RabbitConnection } from "./connection.js";
import * as names from "./names.js";

export interface GroupQueueOptions {
  readonly ordered: boolean;
}

export class Declarations {
  private channel: Promise<Channel> | undefined;
  private readonly done = new Map<string, Promise<void>>();
  /** Topics whose exchange declaration has completed on this connection: the publish fast path (no await). */
  private readonly declaredExchanges = new Set<string>();

  constructor(
    private readonly connection: RabbitConnection,
    private readonly logger: Logger,
  ) {
    connection.on("lost", () => this.reset());
  }

  reset(): void {
    this.done.clear();
    this.declaredExchanges.clear();
    this.channel = undefined;
  }

  /** True when every message's topic exchange is declared already (checked without waiting). */
  exchangesDeclared(messages: readonly { readonly topic: string }[]): boolean {
    for (const m of messages) if (!this.declaredExchanges.has(m.topic)) return false;
    return true;
  }

  exchange(topic: string): Promise<void> {
    const declaring = this.once(`exchange:${topic}`, async () => {
      const unrouted = names.unroutedName(topic);
      await this.assert(`exchange ${unrouted}`, (ch) => ch.assertExchange(unrouted, "fanout", { durable: true }), (ch) => ch.checkExchange(unrouted));
      await this.assert(`queue ${unrouted}`, (ch) => ch.assertQueue(unrouted, { durable: true }), (ch) => ch.checkQueue(unrouted));
      await this.rpc(`bind ${unrouted}`, (ch) => ch.bindQueue(unrouted, unrouted, ""));
      const exchange = names.topicExchange(topic);
      await this.assert(
        `exchange ${exchange}`,
        (ch) => ch.assertExchange(exchange, "topic", { durable: true, alternateExchange: unrouted }),
        (ch) => ch.checkExchange(exchange),
      );
    });
    // Only if still current: a declaration that finishes after a connection loss (reset) says nothing now.
    void declaring.then(() => {
      if (this.done.get(`exchange:${topic}`) === declaring) this.declaredExchanges.add(topic);
    }, () => undefined);
    return declaring;
  }

  /** The durable queue of `group` on `topic`, with its DLX/DLQ, bound to the topic exchange. */
  groupQueue(topic: string, group: string, options: GroupQueueOptions): Promise<string> {
    const queue = names.groupQueue(topic, group);
    return this.once(`queue:${queue}`, async () => {
      await this.exchange(topic);
      const dlx = names.deadLetterExchange(queue);
      const dlq = names.deadLetterQueue(queue);
      await this.assert(`exchange ${dlx}`, (ch) => ch.assertExchange(dlx, "fanout", { durable: true }), (ch) => ch.checkExchange(dlx));
      await this.assert(`queue ${dlq}`, (ch) => ch.assertQueue(dlq, { durable: true }), (ch) => ch.checkQueue(dlq));
      await this.rpc(`bind ${dlq}`, (ch) => ch.bindQueue(dlq, dlx, ""));
      const args: Record<string, unknown> = { "x-dead-letter-exchange": dlx };
      if (options.ordered) args["x-single-active-consumer"] = true;
      await this.assert(`queue ${queue}`, (ch) => ch.assertQueue(queue, { durable: true, arguments: args }), (ch) => ch.checkQueue(queue));
      await this.rpc(`bind ${queue}`, (ch) => ch.bindQueue(queue, names.topicExchange(topic), "#"));
    }).then(() => queue);
  }

  /**
   * Per-instance queue: gone with its connection (exclusive) or its last consumer (auto-delete). Never
   * cached: a channel that closes cancels the consumer and so deletes the queue.
   */
  async exclusiveQueue(topic: string, group: string, instance: string): Promise<string> {
    const queue = names.exclusiveQueue(topic, group, instance);
    await this.exchange(topic);
    await this.rpc(`queue ${queue}`, (ch) => ch.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false }));
    await this.rpc(`bind ${queue}`, (ch) => ch.bindQueue(queue, names.topicExchange(topic), "#"));
    return queue;
  }

  /** Forget that a queue was declared (it was deleted under us: the next use declares it again). */
  forgetQueue(queue: string): void {
    this.done.delete(`queue:${queue}`);
  }

  /** The fixed-TTL delay queue of `queue` for one delay step. */
  retryQueue(queue: string, stepMs: number): Promise<string> {
    const retry = names.retryQueue(queue, stepMs);
    return this.once(`queue:${retry}`, async () => {
      await this.assert(
        `queue ${retry}`,
        (ch) =>
          ch.assertQueue(retry, {
            durable: true,
            arguments: { "x-message-ttl": stepMs, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue },
          }),
        (ch) => ch.checkQueue(retry),
      );
    }).then(() => retry);
  }

  async close(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    if (channel !== undefined) await channel.then((ch) => ch.close()).catch(() => undefined);
  }

  private once(key: string, declare: () => Promise<void>): Promise<void> {
    let pending = this.done.get(key);
    if (pending === undefined) {
      pending = declare();
      this.done.set(key, pending);
      // A failed declaration is retried by the next caller.
      pending.catch(() => this.done.get(key) === pending && this.done.delete(key));
    }
    return pending;
  }

  private async assert(what: string, declare: (ch: Channel) => Promise<unknown>, check: (ch: Channel) => Promise<unknown>): Promise<void> {
    try {
      await this.rpc(what, declare);
    } catch (err) {
      if (!isPreconditionFailed(err)) throw err;
      this.channel = undefined; // the broker closed the channel with the 406
      this.logger.warn("rabbitmq object exists with other arguments; using it as it is", { object: what, error: (err as Error).message });
      await this.rpc(what, check);
    }
  }

  private async rpc<T>(what: string, op: (ch: Channel) => Promise<T>): Promise<T> {
    const channel = await this.adminChannel();
    try {
      return await withRpcTimeout(`declare ${what}`, this.connection.settings.channelRpcTimeoutMs, op(channel));
    } catch (cause) {
      if (cause instanceof TransportError) {
        this.channel = undefined; // state unknown after a timeout
        throw cause;
      }
      throw new TransportError(`rabbitmq: cannot declare ${what}: ${(cause as Error).message}`, {
        retriable: !isPreconditionFailed(cause),
        cause,
      });
    }
  }

  private adminChannel(): Promise<Channel> {
    if (this.channel === undefined) {
      const created = this.connection
        .current(this.connection.settings.connectionTimeoutMs)
        .then((model) => withRpcTimeout("channel.open", this.connection.settings.channelRpcTimeoutMs, model.createChannel()))
        .then((ch) => {
          ch.on("error", () => undefined); // a failed declaration closes the channel; the promise reports it
          ch.once("close", () => {
            if (this.channel === created) this.channel = undefined;
          });
          return ch;
        });
      created.catch(() => {
        if (this.channel === created) this.channel = undefined;
      });
      this.channel = created;
    }
    return this.channel;
  }
}

export function isPreconditionFailed(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  return e?.code === 406 || (typeof e?.message === "string" && e.message.includes("PRECONDITION_FAILED"));
}
