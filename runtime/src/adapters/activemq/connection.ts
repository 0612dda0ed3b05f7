// AMQP 1.0 connections to the broker (rhea), with rhea's automatic reconnect (links re-attach by themselves).
// Each connection counts its "generation": +1 on every re-open after a loss, so subscribers know which
// deliveries died with the old connection (the broker redelivers those) and publishers fail what was unconfirmed.
import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import rhea from "rhea";
import type { Connection, ConnectionOptions, EventContext } from "rhea";
import type { Logger } from "../../api.js";
import { TransportError } from "../../errors.js";
import type { ActiveMqSettings } from "./settings.js";

export class ManagedConnection extends EventEmitter {
  readonly conn: Connection;
  generation = 0;
  private opened = false;
  private closedByUs = false;
  private fatal: TransportError | undefined;
  private sessions = 0;
  private corked = false;

  constructor(
    private readonly settings: ActiveMqSettings,
    private readonly logger: Logger,
    private readonly sessionBudget: { remaining: number },
    readonly label: string,
  ) {
    super();
    // One listener per subscription link (reconnect handling); many links may share a connection.
    this.setMaxListeners(0);
    const container = rhea.create_container({ id: `hypc-${randomUUID()}` });
    const options = {
      host: settings.host,
      port: settings.port,
      ...(settings.tls ? { transport: "tls" as const } : { transport: "tcp" as const }),
      ...(settings.username !== undefined ? { username: settings.username } : {}),
      ...(settings.password !== undefined ? { password: settings.password } : {}),
      // rhea reconnects with backoff forever; a broker restart is survived without the app noticing.
      reconnect: true,
      initial_reconnect_delay: 100,
      max_reconnect_delay: 2000,
      idle_time_out: settings.idleTimeoutMs,
      keepAlive: settings.keepAlive,
      hostname: settings.host,
    } as ConnectionOptions;
    this.conn = container.connect(options);
    this.conn.on("connection_open", () => {
      if (this.opened) {
        this.generation++;
        this.logger.info("activemq: reconnected", { connection: label, generation: this.generation });
        this.emit("reopened", this.generation);
      }
      this.opened = true;
      this.emit("open");
    });
    this.conn.on("disconnected", (ctx: EventContext) => {
      if (this.closedByUs) return;
      if (this.opened) this.logger.warn("activemq: connection lost, reconnecting", { connection: label, error: describe(ctx.error) });
      this.emit("lost", ctx.error);
    });
    this.conn.on("connection_error", (ctx: EventContext) => {
      // The broker refused us (bad credentials, no permission): rhea does not retry these; neither do we.
      const error = ctx.error ?? ctx.connection.error;
      this.fatal = new TransportError(`activemq: ${settings.host}:${settings.port} refused the connection: ${describe(error)}`, {
        retriable: false,
        cause: error,
      });
      this.emit("fatal", this.fatal);
      this.emit("lost", error);
    });
    // Errors surface through the events above and the link events; an 'error' without listener would throw.
    this.conn.on("error", (ctx: EventContext) => this.logger.warn("activemq: connection error", { connection: label, error: describe(ctx.connection.error) }));
  }

  /**
   * Coalesces the frames written until the end of this event-loop turn into one socket write. rhea writes every
   * frame with its own socket.write() (a syscall per message when publishing), so a burst of publishes is corked
   * and uncorked after rhea's own output: rhea sends from a process.nextTick callback queued by the first send,
   * so the uncork is a nextTick queued from a nextTick queued before that send (it runs right after rhea's). The
   * frames go out together (writev), in the same turn, no later than they would have.
   */
  coalesceWrites(): void {
    if (this.corked) return;
    const socket = (this.conn as unknown as { socket?: { cork?: () => void; uncork?: () => void; destroyed?: boolean } }).socket;
    if (socket?.cork === undefined || socket.uncork === undefined || socket.destroyed === true) return;
    socket.cork();
    this.corked = true;
    process.nextTick(() =>
      process.nextTick(() => {
        this.corked = false;
        socket.uncork!();
      }),
    );
  }

  /** Resolves once the connection is open; fails after connection_timeout (the connection is then closed). */
  waitOpen(): Promise<void> {
    if (this.opened && this.conn.is_open()) return Promise.resolve();
    if (this.fatal !== undefined) return Promise.reject(this.fatal);
    return new Promise<void>((resolve, reject) => {
      const onFatal = (error: TransportError): void => {
        clearTimeout(timer);
        this.off("open", onOpen);
        reject(error);
      };
      const timer = setTimeout(() => {
        this.off("open", onOpen);
        this.off("fatal", onFatal);
        reject(new TransportError(
          `activemq: no connection to ${this.settings.host}:${this.settings.port} within ${this.settings.connectionTimeoutMs} ms`,
          { retriable: true, cause: this.conn.error },
        ));
      }, this.settings.connectionTimeoutMs);
      const onOpen = (): void => {
        clearTimeout(timer);
        this.off("fatal", onFatal);
        resolve();
      };
      this.once("open", onOpen);
      this.once("fatal", onFatal);
    });
  }

  /**
   * session_pool.max_sessions caps the links (receivers, senders) attached at once over the whole pool: an AMQP
   * link plays the part of a JMS session. Links run on the connection's default session: a session per link
   * measured 5x slower with rhea (see docs/brokers/activemq.md).
   */
  acquireLink(what: string): void {
    if (this.sessionBudget.remaining <= 0) {
      throw new TransportError(`activemq: session_pool.max_sessions (${this.settings.maxSessions}) reached; cannot attach ${what}`, { retriable: false });
    }
    this.sessionBudget.remaining--;
    this.sessions++;
  }

  releaseLink(): void {
    if (this.sessions > 0) {
      this.sessions--;
      this.sessionBudget.remaining++;
    }
  }

  isOpen(): boolean {
    return this.conn.is_open();
  }

  /** Open and usable now: what waitOpen() would resolve at once for. */
  isReady(): boolean {
    return this.opened && this.fatal === undefined && this.conn.is_open();
  }

  async close(timeoutMs: number): Promise<void> {
    this.closedByUs = true;
    if (!this.conn.is_open()) {
      this.conn.close();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.conn.once("connection_close", () => {
        clearTimeout(timer);
        resolve();
      });
      this.conn.close();
    });
  }
}

/** One connection for publishing; one per subscription up to max_connections, then shared round-robin. */
export class ConnectionPool {
  private publisher: ManagedConnection | undefined;
  private readonly subscribers: ManagedConnection[] = [];
  private next = 0;
  private readonly sessionBudget: { remaining: number };

  constructor(
    private readonly settings: ActiveMqSettings,
    private readonly logger: Logger,
  ) {
    this.sessionBudget = { remaining: settings.maxSessions };
  }

  async publisherConnection(): Promise<ManagedConnection> {
    this.publisher ??= new ManagedConnection(this.settings, this.logger, this.sessionBudget, "publisher");
    await this.publisher.waitOpen();
    return this.publisher;
  }

  /** The publishing connection if it is open now (the synchronous publish path), else undefined. */
  openPublisher(): ManagedConnection | undefined {
    return this.publisher !== undefined && this.publisher.isReady() ? this.publisher : undefined;
  }

  async subscriberConnection(): Promise<ManagedConnection> {
    let connection: ManagedConnection;
    if (1 + this.subscribers.length < this.settings.maxConnections) {
      connection = new ManagedConnection(this.settings, this.logger, this.sessionBudget, `subscriber-${this.subscribers.length + 1}`);
      this.subscribers.push(connection);
    } else {
      const shared = this.subscribers.length > 0 ? this.subscribers : [await this.publisherConnection()];
      connection = shared[this.next++ % shared.length]!;
    }
    await connection.waitOpen();
    return connection;
  }

  all(): ManagedConnection[] {
    return [...(this.publisher !== undefined ? [this.publisher] : []), ...this.subscribers];
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.all().map((c) => c.close(this.settings.sessionTimeoutMs)));
    this.publisher = undefined;
    this.subscribers.length = 0;
  }
}

export function describe(error: unknown): string {
  if (error === undefined || error === null) return "unknown";
  if (typeof error === "object") {
    const e = error as { condition?: string; description?: string; message?: string };
    return [e.condition, e.description ?? e.message].filter(Boolean).join(": ") || JSON.stringify(error);
  }
  return String(error);
}
