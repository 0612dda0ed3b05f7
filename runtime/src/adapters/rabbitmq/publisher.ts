// Publishing with publisher confirms, many messages in flight: every message of a call is written to a
// confirm channel at once and the call resolves when the broker has confirmed them all (persistent
// messages on durable queues: confirmed = written to disk by every queue it was routed to).
// With automatic_recovery, messages not confirmed when the connection drops are re-published once it is
// back (at-least-once: a message the broker stored but could not confirm arrives twice; consumers dedupe
// by message id), within connection_timeout; after that the call fails with a retriable TransportError.
import type { ConfirmChannel } from "amqplib";
import type { Logger } from "../../api.js";
import { TransportError } from "../../errors.js";
import type { OutgoingMessage } from "../../transport.js";
import { InFlight } from "../in-flight.js";
import { ChannelPoolTimeout, type ChannelPool } from "./channel-pool.js";
import type { RabbitConnection } from "./connection.js";
import type { Declarations } from "./declarations.js";
import { publishOptions, routingKey } from "./headers.js";
import { topicExchange } from "./names.js";

interface Failure {
  readonly message: OutgoingMessage;
  readonly error: unknown;
}

export class Publisher {
  private readonly inFlight = new InFlight();

  constructor(
    private readonly connection: RabbitConnection,
    private readonly pool: ChannelPool,
    private readonly declarations: Declarations,
    private readonly logger: Logger,
  ) {}

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    // The runtime core publishes one event per call: when nothing needs waiting for, write it right away.
    if (messages.length === 1 && this.connection.isOpen && this.declarations.exchangesDeclared(messages)) {
      const channel = this.pool.pick();
      if (channel !== undefined) return this.inFlight.track(this.publishOne(channel, messages[0]!));
    }
    return this.inFlight.track(this.publishAll(messages));
  }

  /** Waits for every publish in progress (used by close: flush before disconnecting). */
  flush(): Promise<void> {
    return this.inFlight.settled();
  }

  /**
   * The fast path: one message on a ready channel, one promise, no async frames (publishAll's await chain and
   * per-call bookkeeping were ~a third of the adapter's CPU per message). A message the broker nacks, or that
   * cannot be written because the channel closed, goes through publishAll: recovery, re-publish, the same errors.
   */
  private publishOne(channel: ConfirmChannel, message: OutgoingMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const slowPath = (): void => {
        this.publishAll([message]).then(resolve, reject);
      };
      let writable: boolean;
      try {
        writable = channel.publish(topicExchange(message.topic), routingKey(message), message.body, publishOptions(message), (err) => {
          if (err === null || err === undefined) resolve();
          else slowPath();
        });
      } catch {
        slowPath(); // amqplib throws synchronously on a closed channel: nothing was written
        return;
      }
      // The next publishes pick another channel (or wait) until this one drained.
      if (!writable) void this.pool.backpressure(channel);
    });
  }

  private async publishAll(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const { settings } = this.connection;
    const deadline = Date.now() + (settings.automaticRecovery ? settings.connectionTimeoutMs : 0);
    let pending = messages;
    for (let attempt = 1; ; attempt++) {
      let failures: Failure[];
      try {
        // Fast path (every call once the topic is known): nothing to wait for before writing. Request-reply
        // sends one message per call, so these awaits were a good part of the adapter's own cost per message.
        if (!this.connection.isOpen || !this.declarations.exchangesDeclared(pending)) {
          await this.connection.current(Math.max(1, deadline - Date.now()));
          await Promise.all([...new Set(pending.map((m) => m.topic))].map((t) => this.declarations.exchange(t)));
        }
        failures = await this.attempt(pending);
      } catch (error) {
        failures = pending.map((message) => ({ message, error }));
      }
      if (failures.length === 0) return;
      const recoverable = failures.every(
        (f) => !(f.error instanceof ChannelPoolTimeout) && (!(f.error instanceof TransportError) || f.error.retriable),
      );
      if (!settings.automaticRecovery || !recoverable || Date.now() >= deadline) throw publishError(failures, attempt);
      this.logger.warn("rabbitmq publish not confirmed; re-publishing", {
        messages: failures.length,
        attempt,
        error: errorText(failures[0]?.error),
      });
      pending = failures.map((f) => f.message);
      // Give a broker that nacked (or a connection that is going down) a moment.
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1000)));
    }
  }

  /** Writes every message, then waits for all confirms. Returns the messages that were not confirmed. */
  private async attempt(messages: readonly OutgoingMessage[]): Promise<Failure[]> {
    // Synchronous pick when a channel is ready: concurrent calls share it, all their messages in flight.
    const channel = this.pool.pick() ?? (await this.pool.acquire());
    const confirms: Promise<Failure | undefined>[] = [];
    let index = 0;
    try {
      for (; index < messages.length; index++) {
        const message = messages[index]!;
        let writable = true;
        let thrown: unknown;
        confirms.push(
          new Promise<Failure | undefined>((resolve) => {
            try {
              writable = channel.publish(topicExchange(message.topic), routingKey(message), message.body, publishOptions(message), (err) =>
                resolve(err === null || err === undefined ? undefined : { message, error: err }),
              );
            } catch (error) {
              thrown = error; // amqplib throws synchronously on a closed channel
              resolve({ message, error });
            }
          }),
        );
        if (thrown !== undefined) throw thrown;
        // Keep writing this call's messages to the same channel (their order), once it drained.
        if (!writable) await this.pool.backpressure(channel);
      }
    } catch (error) {
      // The channel closed under us: the rest was never written (the current one is already accounted for).
      for (const message of messages.slice(index + 1)) confirms.push(Promise.resolve({ message, error }));
    }
    const results = await Promise.all(confirms);
    return results.filter((r): r is Failure => r !== undefined);
  }
}

function publishError(failures: readonly Failure[], attempts: number): TransportError {
  const first = failures[0]!;
  const topics = [...new Set(failures.map((f) => f.message.topic))].join(", ");
  const retriable = !(first.error instanceof TransportError) || first.error.retriable;
  return new TransportError(
    `rabbitmq: ${failures.length} message(s) to topic ${topics} not confirmed by the broker after ${attempts} attempt(s) ` +
      `(first: message ${first.message.id}): ${errorText(first.error)}`,
    { retriable, cause: first.error, topic: first.message.topic, messageId: first.message.id },
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
