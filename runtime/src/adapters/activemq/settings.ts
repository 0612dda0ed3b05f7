// Maps the seed's `messaging.activemq` block to the settings of the ActiveMQ (Artemis, AMQP 1.0) adapter.
// Every seed key is read here; docs/brokers/activemq.md has the table (key -> rhea option / behaviour -> test).
import type { ActiveMqConfig } from "../../topology.js";
import type { AdapterContext } from "../context.js";
import { ConfigError } from "../../errors.js";

export interface ActiveMqSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
  /** Cap on AMQP connections: one for publishing, one per subscription until the cap, then shared. */
  readonly maxConnections: number;
  /** ms to get a connection (TCP + SASL + open) or fail. */
  readonly connectionTimeoutMs: number;
  /** AMQP idle-time-out we ask the broker to honour (0 = no heartbeats: keep_alive false). */
  readonly idleTimeoutMs: number;
  readonly keepAlive: boolean;
  /** Cap on links (receivers + senders) attached at once over all connections (AMQP's JMS-session equivalent). */
  readonly maxSessions: number;
  /** ms to attach or detach a link (sender/receiver) before failing. */
  readonly sessionTimeoutMs: number;
}

const SCHEMES: Record<string, boolean> = { "tcp:": false, "amqp:": false, "nio:": false, "ssl:": true, "amqps:": true };

export function activeMqSettings(config: ActiveMqConfig, ctx: AdapterContext): ActiveMqSettings {
  const key = "messaging.activemq";
  const raw = ctx.env.HYPC_ACTIVEMQ_URL?.trim() || config.broker_url;
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new ConfigError(`${key}.broker_url: not a URL: ${raw}`, { cause });
  }
  const tls = SCHEMES[url.protocol];
  if (tls === undefined) {
    throw new ConfigError(`${key}.broker_url: scheme ${url.protocol} not supported (tcp://, amqp://, ssl://, amqps://)`);
  }
  const username = config.username === undefined ? undefined : ctx.resolve(config.username, `${key}.username`);
  const password = config.password === undefined ? undefined : ctx.resolve(config.password, `${key}.password`);
  const c = config.connection;
  return {
    host: url.hostname,
    port: url.port === "" ? (tls ? 5671 : 61616) : Number(url.port),
    tls,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    maxConnections: Math.max(1, c.max_connections),
    connectionTimeoutMs: Math.max(1, c.connection_timeout),
    idleTimeoutMs: c.keep_alive ? Math.max(1000, c.idle_timeout) : 0,
    keepAlive: c.keep_alive,
    maxSessions: Math.max(1, config.session_pool.max_sessions),
    sessionTimeoutMs: Math.max(1, config.session_pool.session_timeout),
  };
}
