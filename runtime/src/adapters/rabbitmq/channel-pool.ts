// channel_pool.max_channels bounds the channels this transport opens on its connection: publishing channels
// from this pool + one per subscription + one for declarations; it is also sent as channelMax in
// connection.tune. Publishing channels are shared, not leased: amqplib's publish() is synchronous, so many
// calls write to the same confirm channel with all their messages in flight at once. A channel whose write
// buffer is full (publish() returned false) is "busy" until it drains; only when every channel is busy does
// the pool open another one, and when max_channels is reached a publish waits for a drain at most
// channel_pool.channel_timeout before it fails with a retriable TransportError (back-pressure).
import type { ConfirmChannel } from "amqplib";
import { TransportError } from "../../errors.js";
import { withRpcTimeout, type RabbitConnection } from "./connection.js";

/** Back-pressure, not a broken connection: the publish fails at once instead of waiting for recovery. */
export class ChannelPoolTimeout extends TransportError {}

export class ChannelPool {
  private ready: ConfirmChannel[] = [];
  /** Busy channels and the promise of their drain. */
  private readonly busy = new Map<ConfirmChannel, Promise<void>>();
  private opening: Promise<ConfirmChannel> | undefined;
  private subscriptions = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly connection: RabbitConnection) {
    connection.on("lost", () => {
      // Every channel died with the connection.
      this.ready = [];
      this.busy.clear();
      this.subscriptions = 0;
      this.wakeAll();
    });
  }

  /** Publishing channels open now (for tests and diagnostics). */
  get publishingChannels(): number {
    return this.ready.length + this.busy.size;
  }

  /** A channel that accepts writes right now, without waiting; undefined if none. */
  pick(): ConfirmChannel | undefined {
    return this.ready[0];
  }

  /** A channel that accepts writes: a ready one, a new one while there is room, else the first to drain. */
  async acquire(): Promise<ConfirmChannel> {
    const { channelTimeoutMs, maxChannels } = this.connection.settings;
    const deadline = Date.now() + channelTimeoutMs;
    for (;;) {
      const ready = this.ready[0];
      if (ready !== undefined) return ready;
      if (this.opening !== undefined) {
        await this.opening.catch(() => undefined);
        continue;
      }
      if (this.hasRoom()) return this.openPublishing();
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new ChannelPoolTimeout(
          `rabbitmq: no channel free within channel_pool.channel_timeout ${channelTimeoutMs} ms (max_channels ${maxChannels})`,
          { retriable: true },
        );
      }
      await this.nextChange(remaining);
    }
  }

  /** The caller's publish() returned false: the channel is busy until it drains (rejects if it closes). */
  backpressure(channel: ConfirmChannel): Promise<void> {
    let drained = this.busy.get(channel);
    if (drained !== undefined) return drained;
    this.ready = this.ready.filter((c) => c !== channel);
    drained = new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        channel.off("close", onClose);
        this.busy.delete(channel);
        this.ready.push(channel);
        this.wakeAll();
        resolve();
      };
      const onClose = (): void => {
        channel.off("drain", onDrain);
        reject(new Error("channel closed while waiting for drain"));
      };
      channel.once("drain", onDrain);
      channel.once("close", onClose);
    });
    drained.catch(() => undefined);
    this.busy.set(channel, drained);
    return drained;
  }

  /** A dedicated confirm channel for a subscription, counted against max_channels. */
  async openForSubscription(): Promise<ConfirmChannel> {
    if (!this.hasRoom()) {
      throw new TransportError(
        `rabbitmq: channel_pool.max_channels (${this.connection.settings.maxChannels}) reached; cannot open a channel for another subscription`,
        { retriable: false },
      );
    }
    this.subscriptions++;
    try {
      return await this.openChannel(() => {
        this.subscriptions = Math.max(0, this.subscriptions - 1);
        this.wakeAll();
      });
    } catch (err) {
      this.subscriptions--;
      throw err;
    }
  }

  async close(): Promise<void> {
    const channels = [...this.ready, ...this.busy.keys()];
    this.ready = [];
    this.busy.clear();
    await Promise.all(channels.map((c) => c.close().catch(() => undefined)));
  }

  private openPublishing(): Promise<ConfirmChannel> {
    const opening = this.openChannel((closed) => {
      this.ready = this.ready.filter((c) => c !== closed);
      this.busy.delete(closed);
      this.wakeAll();
    }).then((channel) => {
      this.ready.push(channel);
      return channel;
    });
    this.opening = opening;
    const done = (): void => {
      if (this.opening === opening) this.opening = undefined;
    };
    opening.then(done, done);
    return opening;
  }

  private hasRoom(): boolean {
    // One channel stays free for declarations; a publishing channel being opened counts.
    const publishing = this.ready.length + this.busy.size + (this.opening === undefined ? 0 : 1);
    return publishing + this.subscriptions < this.connection.settings.maxChannels - 1;
  }

  private async openChannel(onClose: (channel: ConfirmChannel) => void): Promise<ConfirmChannel> {
    const { settings } = this.connection;
    const model = await this.connection.current(settings.connectionTimeoutMs);
    const channel = await withRpcTimeout("channel.open", settings.channelRpcTimeoutMs, model.createConfirmChannel());
    channel.on("error", () => undefined); // reported through the failed operation and "close"
    channel.once("close", () => onClose(channel));
    return channel;
  }

  /** Resolves on the next drain or close of any channel, or after `ms`. */
  private nextChange(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      }, ms);
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(wake);
    });
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
