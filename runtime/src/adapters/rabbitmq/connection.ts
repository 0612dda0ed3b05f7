// One AMQP connection with automatic recovery (connection.automatic_recovery): after an unexpected close
// (broker restart, `rabbitmqctl close_all_connections`, network loss) it reconnects every
// network_recovery_interval until it succeeds or the transport closes, then emits "recovered" so the
// publisher re-sends what was not confirmed and subscriptions re-declare their queues and consume again.
import { EventEmitter } from "node:events";
import { connect as amqpConnect, type ChannelModel } from "amqplib";
import type { Logger } from "../../api.js";
import { TransportError } from "../../errors.js";
import type { RabbitSettings } from "./settings.js";

type State = "idle" | "open" | "recovering" | "failed" | "closed";

export class RabbitConnection extends EventEmitter {
  private state: State = "idle";
  private model: ChannelModel | undefined;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private lastError: unknown;
  /** Resolved by the next successful (re)connect, rejected when recovery is given up. */
  private waiters: { resolve: (m: ChannelModel) => void; reject: (e: unknown) => void }[] = [];

  constructor(
    readonly settings: RabbitSettings,
    private readonly logger: Logger,
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.state === "open";
  }

  async open(): Promise<void> {
    if (this.state === "open") return;
    if (this.state === "closed") throw new TransportError(`rabbitmq: transport closed (${this.settings.endpoint})`);
    this.attach(await this.dial());
  }

  /** The open connection, waiting up to `timeoutMs` for recovery if it is down. */
  async current(timeoutMs: number): Promise<ChannelModel> {
    if (this.state === "open" && this.model !== undefined) return this.model;
    if (this.state === "closed") throw new TransportError(`rabbitmq: transport closed (${this.settings.endpoint})`);
    if (this.state === "idle") throw new TransportError(`rabbitmq: connect() was not called (${this.settings.endpoint})`);
    if (this.state === "failed") {
      throw new TransportError(`rabbitmq: connection to ${this.settings.endpoint} lost (automatic_recovery is off)`, { retriable: true, cause: this.lastError });
    }
    return new Promise<ChannelModel>((resolve, reject) => {
      const waiter = {
        resolve: (m: ChannelModel) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new TransportError(`rabbitmq: ${this.settings.endpoint} still unreachable after ${timeoutMs} ms of recovery`, { retriable: true, cause: this.lastError }));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    const model = this.model;
    this.state = "closed";
    this.model = undefined;
    clearTimeout(this.recoveryTimer);
    this.rejectWaiters(new TransportError(`rabbitmq: transport closed (${this.settings.endpoint})`));
    if (model !== undefined) await model.close().catch(() => undefined);
  }

  private async dial(): Promise<ChannelModel> {
    const { settings } = this;
    // amqplib's socket timeout covers TCP/TLS only; the AMQP handshake gets the same bound here.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`handshake not finished after connection_timeout ${settings.connectionTimeoutMs} ms`)),
        settings.connectionTimeoutMs,
      );
    });
    const attempt = amqpConnect(settings.connect, settings.socket);
    try {
      return await Promise.race([attempt, timeout]);
    } catch (cause) {
      // A connection that opens after the timeout must not leak.
      attempt.then((late) => late.close().catch(() => undefined), () => undefined);
      this.lastError = cause;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new TransportError(`rabbitmq: cannot connect to ${settings.endpoint}: ${reason}`, {
        retriable: !/ACCESS.REFUSED|NOT.ALLOWED|certificate|self.signed|ERR_TLS|unable to verify/i.test(reason),
        cause,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private attach(model: ChannelModel): void {
    this.model = model;
    this.state = "open";
    model.on("error", (err: Error) => {
      this.lastError = err;
      this.logger.warn("rabbitmq connection error", { endpoint: this.settings.endpoint, error: err.message });
    });
    model.on("blocked", (reason: string) => this.logger.warn("rabbitmq connection blocked by the broker", { reason }));
    model.on("unblocked", () => this.logger.info("rabbitmq connection unblocked"));
    model.once("close", (err?: Error) => {
      if (this.model !== model || this.state === "closed") return;
      this.model = undefined;
      this.lastError = err;
      this.emit("lost", err);
      if (!this.settings.automaticRecovery) {
        this.state = "failed";
        this.logger.error("rabbitmq connection lost; automatic_recovery is off", { endpoint: this.settings.endpoint, error: err?.message });
        this.rejectWaiters(new TransportError(`rabbitmq: connection to ${this.settings.endpoint} lost`, { retriable: true, cause: err }));
        return;
      }
      this.state = "recovering";
      this.logger.warn("rabbitmq connection lost; recovering", { endpoint: this.settings.endpoint, error: err?.message });
      this.scheduleRecovery();
    });
  }

  private scheduleRecovery(): void {
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = setTimeout(() => void this.recover(), this.settings.networkRecoveryIntervalMs);
  }

  private async recover(): Promise<void> {
    if (this.state !== "recovering") return;
    let model: ChannelModel;
    try {
      model = await this.dial();
    } catch (err) {
      this.logger.debug("rabbitmq reconnect attempt failed", { error: (err as Error).message });
      if (this.state === "recovering") this.scheduleRecovery();
      return;
    }
    if (this.state !== "recovering") {
      await model.close().catch(() => undefined);
      return;
    }
    this.attach(model);
    this.logger.info("rabbitmq connection recovered", { endpoint: this.settings.endpoint });
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve(model);
    this.emit("recovered", model);
  }

  private rejectWaiters(error: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }
}

/** Bounds one channel RPC (declare, bind, consume, qos…) by connection.channel_rpc_timeout. */
export async function withRpcTimeout<T>(what: string, timeoutMs: number, op: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TransportError(`rabbitmq: ${what} got no answer within channel_rpc_timeout ${timeoutMs} ms`, { retriable: true })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([op, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
