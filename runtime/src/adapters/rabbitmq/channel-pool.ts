// channel_pool.max_channels bounds the channels this transport opens on its connection (publishing
// channels from this pool + one channel per subscription + one for declarations); it is also sent as
// channelMax in connection.tune. channel_pool.channel_timeout bounds how long a publish waits for a free
// publishing channel when all are busy (back-pressure) before it fails with a retriable TransportError.
import type { ConfirmChannel } from "amqplib";
import { TransportError } from "../../errors.js";
import { withRpcTimeout, type RabbitConnection } from "./connection.js";

export class ChannelPool {
  private idle: ConfirmChannel[] = [];
  private publishing = 0;
  private subscriptions = 0;
  private waiters: ((channel: ConfirmChannel | undefined) => void)[] = [];

  constructor(private readonly connection: RabbitConnection) {
    connection.on("lost", () => {
      // Every channel died with the connection.
      this.idle = [];
      this.publishing = 0;
      this.subscriptions = 0;
      this.wakeOne(undefined);
    });
  }

  /** A confirm channel for publishing; callers write, then release() before awaiting confirms. */
  async acquire(): Promise<ConfirmChannel> {
    const idle = this.idle.pop();
    if (idle !== undefined) return idle;
    if (this.hasRoom()) {
      this.publishing++;
      try {
        return await this.openChannel((closed) => {
          this.publishing = Math.max(0, this.publishing - 1);
          this.idle = this.idle.filter((c) => c !== closed);
          this.wakeOne(undefined);
        });
      } catch (err) {
        this.publishing--;
        throw err;
      }
    }
    const timeoutMs = this.connection.settings.channelTimeoutMs;
    const channel = await new Promise<ConfirmChannel | undefined>((resolve, reject) => {
      const waiter = (c: ConfirmChannel | undefined): void => {
        clearTimeout(timer);
        resolve(c);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new ChannelPoolTimeout(
            `rabbitmq: no channel free within channel_pool.channel_timeout ${timeoutMs} ms (max_channels ${this.connection.settings.maxChannels})`,
            { retriable: true },
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
    // A channel closed while we waited: room for a new one.
    return channel ?? this.acquire();
  }

  release(channel: ConfirmChannel): void {
    if (!this.isAlive(channel)) return;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(channel);
    else this.idle.push(channel);
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
        this.wakeOne(undefined);
      });
    } catch (err) {
      this.subscriptions--;
      throw err;
    }
  }

  async close(): Promise<void> {
    const idle = this.idle;
    this.idle = [];
    await Promise.all(idle.map((c) => c.close().catch(() => undefined)));
  }

  private hasRoom(): boolean {
    // One channel stays free for declarations.
    return this.publishing + this.subscriptions < this.connection.settings.maxChannels - 1;
  }

  private async openChannel(onClose: (channel: ConfirmChannel) => void): Promise<ConfirmChannel> {
    const { settings } = this.connection;
    const model = await this.connection.current(settings.connectionTimeoutMs);
    const channel = await withRpcTimeout("channel.open", settings.channelRpcTimeoutMs, model.createConfirmChannel());
    channel.on("error", () => undefined); // reported through the failed operation and "close"
    channel.once("close", () => onClose(channel));
    alive.add(channel);
    channel.once("close", () => alive.delete(channel));
    return channel;
  }

  private isAlive(channel: ConfirmChannel): boolean {
    return alive.has(channel);
  }

  private wakeOne(channel: ConfirmChannel | undefined): void {
    this.waiters.shift()?.(channel);
  }
}

const alive = new WeakSet<ConfirmChannel>();

/** Back-pressure, not a broken connection: the publish fails at once instead of waiting for recovery. */
export class ChannelPoolTimeout extends TransportError {}
