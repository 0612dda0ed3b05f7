// Maps the seed's `messaging.rabbitmq` block (plus the HYPC_RABBITMQ_URL override) to amqplib's connect
// options and to the runtime behaviour the adapter implements itself (recovery, channel pool, RPC timeout).
// The full table (seed key → option → test) is docs/brokers/rabbitmq.md.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Options, SocketOptions } from "amqplib";
import { ConfigError } from "../../errors.js";
import type { RabbitMqConfig } from "../../topology.js";
import type { AdapterContext } from "../context.js";

export interface RabbitSettings {
  /** amqplib's URL object form (protocol, host, port, vhost, credentials, heartbeat, channelMax). */
  readonly connect: Options.Connect;
  /** Socket options: noDelay, connect timeout, TLS. */
  readonly socket: SocketOptions;
  /** `amqp(s)://user@host:port/vhost` without the password, for logs and errors. */
  readonly endpoint: string;
  readonly connectionTimeoutMs: number;
  readonly channelRpcTimeoutMs: number;
  readonly automaticRecovery: boolean;
  readonly networkRecoveryIntervalMs: number;
  readonly maxChannels: number;
  readonly channelTimeoutMs: number;
  readonly tls: boolean;
  /** Shown by `rabbitmqctl list_connections client_properties` and the management UI; unique per transport. */
  readonly connectionName: string;
}

const KEY = "messaging.rabbitmq";

export function resolveSettings(config: RabbitMqConfig, ctx: Pick<AdapterContext, "env" | "resolve">): RabbitSettings {
  const override = ctx.env.HYPC_RABBITMQ_URL;
  const target = override !== undefined && override !== "" ? fromUrl(override) : fromConfig(config, ctx);
  const tls = target.protocol === "amqps";
  const heartbeat = nonNegative(config.connection.heartbeat, `${KEY}.connection.heartbeat`);
  const maxChannels = positive(config.channel_pool.max_channels, `${KEY}.channel_pool.max_channels`);
  const connectionTimeoutMs = positive(config.connection.connection_timeout, `${KEY}.connection.connection_timeout`);

  const connectionName = `hypc-runtime pid=${process.pid} id=${randomUUID().slice(0, 8)}`;
  const socket: SocketOptions = {
    // Without TCP_NODELAY a request-reply round trip costs ~40 ms (Nagle + delayed ACK); see brokers.md.
    noDelay: true,
    timeout: connectionTimeoutMs,
    keepAlive: true,
    clientProperties: { connection_name: connectionName },
    ...(tls ? tlsOptions(config, ctx, target.host) : {}),
  };
  const connect: Options.Connect = {
    protocol: target.protocol,
    hostname: target.host,
    port: target.port,
    vhost: target.vhost,
    username: target.username,
    password: target.password,
    heartbeat,
    channelMax: maxChannels,
  };
  return {
    connect,
    socket,
    endpoint: `${target.protocol}://${target.username}@${target.host}:${target.port}/${encodeURIComponent(target.vhost)}`,
    connectionTimeoutMs,
    channelRpcTimeoutMs: positive(config.connection.channel_rpc_timeout, `${KEY}.connection.channel_rpc_timeout`),
    automaticRecovery: config.connection.automatic_recovery,
    networkRecoveryIntervalMs: positive(config.connection.network_recovery_interval, `${KEY}.connection.network_recovery_interval`),
    maxChannels,
    channelTimeoutMs: positive(config.channel_pool.channel_timeout, `${KEY}.channel_pool.channel_timeout`),
    tls,
    connectionName,
  };
}

interface Target {
  readonly protocol: "amqp" | "amqps";
  readonly host: string;
  readonly port: number;
  readonly vhost: string;
  readonly username: string;
  readonly password: string;
}

function fromConfig(config: RabbitMqConfig, ctx: Pick<AdapterContext, "resolve">): Target {
  return {
    protocol: config.ssl.enabled ? "amqps" : "amqp",
    host: config.host,
    port: config.port,
    vhost: config.virtual_host,
    // RabbitMQ's own default user when the configuration names none.
    username: config.username === undefined ? "guest" : ctx.resolve(config.username, `${KEY}.username`),
    password: config.password === undefined ? "guest" : ctx.resolve(config.password, `${KEY}.password`),
  };
}

/**
 * HYPC_RABBITMQ_URL replaces host, port, vhost, credentials and the TLS choice (scheme amqp/amqps) of the
 * configuration; heartbeat, timeouts, recovery, pool and the ssl.* checks still come from the configuration.
 * The AMQP URI rules apply: the path is the vhost, URL-encoded ("/" and "" both mean the vhost "/").
 */
function fromUrl(raw: string): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new ConfigError(`HYPC_RABBITMQ_URL is not a URL: ${JSON.stringify(raw)}`, { cause });
  }
  const protocol = url.protocol.replace(/:$/, "");
  if (protocol !== "amqp" && protocol !== "amqps") {
    throw new ConfigError(`HYPC_RABBITMQ_URL must start with amqp:// or amqps://, got ${JSON.stringify(url.protocol)}`);
  }
  const path = url.pathname.replace(/^\//, "");
  return {
    protocol,
    host: url.hostname,
    port: url.port === "" ? (protocol === "amqps" ? 5671 : 5672) : Number(url.port),
    vhost: path === "" ? "/" : decodeURIComponent(path),
    username: url.username === "" ? "guest" : decodeURIComponent(url.username),
    password: url.password === "" ? "guest" : decodeURIComponent(url.password),
  };
}

/**
 * ssl.verify_peer → rejectUnauthorized (the client checks the broker's certificate chain and name).
 * ssl.fail_if_no_peer_cert is RabbitMQ's *server* option demanding a client certificate; on the client it
 * means "we must present one": without cert_file/key_file the adapter refuses to start (ConfigError)
 * instead of failing the handshake at 3 a.m.
 */
function tlsOptions(config: RabbitMqConfig, ctx: Pick<AdapterContext, "resolve">, host: string): SocketOptions {
  const ssl = config.ssl;
  const read = (value: NonNullable<typeof ssl.ca_file>, key: string): Buffer => {
    const path = ctx.resolve(value, `${KEY}.ssl.${key}`);
    try {
      return readFileSync(path);
    } catch (cause) {
      throw new ConfigError(`${KEY}.ssl.${key}: cannot read ${path}`, { cause });
    }
  };
  if (ssl.fail_if_no_peer_cert && (ssl.cert_file === undefined || ssl.key_file === undefined)) {
    throw new ConfigError(
      `${KEY}.ssl.fail_if_no_peer_cert is true but no client certificate is configured: set ssl.cert_file and ssl.key_file`,
    );
  }
  return {
    rejectUnauthorized: ssl.verify_peer,
    ...(ssl.verify_peer ? { servername: isIp(host) ? undefined : host } : {}),
    ...(ssl.ca_file === undefined ? {} : { ca: read(ssl.ca_file, "ca_file") }),
    ...(ssl.cert_file === undefined ? {} : { cert: read(ssl.cert_file, "cert_file") }),
    ...(ssl.key_file === undefined ? {} : { key: read(ssl.key_file, "key_file") }),
  };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}

function positive(value: number, key: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${key} must be a positive number, got ${value}`);
  return value;
}

function nonNegative(value: number, key: string): number {
  if (!Number.isFinite(value) || value < 0) throw new ConfigError(`${key} must be ≥ 0, got ${value}`);
  return value;
}
