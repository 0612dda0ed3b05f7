// Maps the seed's `messaging.kafka` block (plus the message_guarantees policy and the test overrides in env)
// to plain settings the kafkajs clients and the adapter's own batching/commit logic read. Pure: no I/O, so
// every mapping rule is unit-tested (runtime/test/adapters/kafka/settings.test.ts) and listed in
// docs/brokers/kafka.md.
import type { ConsumerConfig } from "kafkajs";
import type { AdapterContext } from "../context.js";
import { ConfigError } from "../../errors.js";
import type { KafkaConfig, KafkaSecurityConfig } from "../../topology.js";

export type SecurityProtocol = "PLAINTEXT" | "SASL_PLAINTEXT" | "SSL" | "SASL_SSL";

export interface ClientSecurity {
  readonly protocol: SecurityProtocol;
  readonly sasl?: { readonly mechanism: "plain" | "scram-sha-256" | "scram-sha-512"; readonly username: string; readonly password: string };
  /** PEM CA bundle to trust (private CA); undefined = the system's CAs. */
  readonly caFile?: string;
}

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly producer: {
    /** kafkajs acks: -1 = all in-sync replicas, 1 = leader, 0 = none. */
    readonly acks: -1 | 0 | 1;
    readonly retries: number;
    readonly idempotent: boolean;
    readonly batchSizeBytes: number;
    readonly lingerMs: number;
    readonly bufferMemoryBytes: number;
    readonly compression: "none" | "gzip" | "snappy";
    readonly security: ClientSecurity;
  };
  readonly consumer: {
    readonly groupId: string;
    readonly fromBeginning: boolean;
    readonly autoCommit: boolean;
    /**
     * message_guarantees consumer.commit_sync: acks trigger a commit at once (one on the wire at a time, the
     * acks made meanwhile go in the next one); close() waits for the last. Off: acked offsets are committed
     * every commitIntervalMs.
     */
    readonly commitSync: boolean;
    /** message_guarantees consumer.offset_commit_interval (ms), or auto_commit_interval_ms with enable_auto_commit. */
    readonly commitIntervalMs: number;
    readonly sessionTimeoutMs: number;
    readonly heartbeatIntervalMs: number;
    readonly rebalanceTimeoutMs: number;
    /** Upper bound of messages fetched and not yet handled per subscription (back-pressure). */
    readonly maxPollRecords: number;
    /** kafkajs maxBytesPerPartition: about max_poll_records messages of 1 KiB, at least 64 KiB. */
    readonly maxBytesPerPartition: number;
    readonly readUncommitted: boolean;
    readonly security: ClientSecurity;
  };
  readonly transactions: {
    readonly enabled: boolean;
    readonly timeoutMs: number;
  };
}

const ACKS: Record<KafkaConfig["producer"]["acks"], -1 | 0 | 1> = { all: -1, "1": 1, "0": 0 };
const PROTOCOLS: readonly SecurityProtocol[] = ["PLAINTEXT", "SASL_PLAINTEXT", "SSL", "SASL_SSL"];

export function kafkaSettings(config: KafkaConfig, ctx: AdapterContext): KafkaSettings {
  const env = ctx.env;
  const override = env.HYPC_KAFKA_BOOTSTRAP_SERVERS?.trim();
  const brokers = override ? override.split(",").map((s) => s.trim()).filter((s) => s.length > 0) : [...config.bootstrap_servers];
  if (brokers.length === 0) {
    throw new ConfigError("messaging.kafka.bootstrap_servers is empty (and HYPC_KAFKA_BOOTSTRAP_SERVERS is not set)");
  }
  // With the bootstrap override (tests, local runs) the seed's SASL_SSL is not what a local broker speaks:
  // the protocol then comes from HYPC_KAFKA_SECURITY_PROTOCOL, default PLAINTEXT.
  const protocolOverride = parseProtocol(env.HYPC_KAFKA_SECURITY_PROTOCOL ?? (override ? "PLAINTEXT" : undefined));
  const caOverride = env.HYPC_KAFKA_SSL_CA_FILE;

  const producerConfig = config.producer;
  const g = ctx.guarantees.at_least_once;
  const atLeastOnce = g.enabled;
  const idempotent = atLeastOnce && g.producer.idempotence;
  const acks = ACKS[producerConfig.acks];
  if (idempotent && acks !== -1) {
    throw new ConfigError(
      `message_guarantees.at_least_once.producer.idempotence needs messaging.kafka.producer.acks "all" (is "${producerConfig.acks}")`,
    );
  }
  const compression = producerConfig.compression_type;
  if (compression === "lz4" || compression === "zstd") {
    throw new ConfigError(
      `messaging.kafka.producer.compression_type "${compression}" is not available in this runtime (kafkajs has no codec without a native package); use "snappy", "gzip" or "none"`,
    );
  }
  const consumerConfig = config.consumer;
  if (consumerConfig.heartbeat_interval_ms >= consumerConfig.session_timeout_ms) {
    throw new ConfigError(
      `messaging.kafka.consumer.heartbeat_interval_ms (${consumerConfig.heartbeat_interval_ms}) must be lower than session_timeout_ms (${consumerConfig.session_timeout_ms})`,
    );
  }
  const tx = ctx.guarantees.exactly_once;
  const transactional = tx.enabled && tx.transactional.enabled;

  return {
    brokers,
    clientId: config.client_id,
    producer: {
      acks,
      retries: producerConfig.retries,
      idempotent,
      batchSizeBytes: Math.max(1, producerConfig.batch_size),
      lingerMs: Math.max(0, producerConfig.linger_ms),
      bufferMemoryBytes: Math.max(producerConfig.batch_size, producerConfig.buffer_memory),
      compression,
      security: security(producerConfig.security, "messaging.kafka.producer.security", protocolOverride, caOverride, ctx),
    },
    consumer: {
      groupId: consumerConfig.group_id,
      fromBeginning: consumerConfig.auto_offset_reset === "earliest",
      autoCommit: consumerConfig.enable_auto_commit,
      commitSync: !consumerConfig.enable_auto_commit && atLeastOnce && g.consumer.commit_sync,
      commitIntervalMs: consumerConfig.enable_auto_commit || !atLeastOnce ? consumerConfig.auto_commit_interval_ms : g.consumer.offset_commit_interval,
      sessionTimeoutMs: consumerConfig.session_timeout_ms,
      heartbeatIntervalMs: consumerConfig.heartbeat_interval_ms,
      rebalanceTimeoutMs: consumerConfig.max_poll_interval_ms,
      maxPollRecords: Math.max(1, consumerConfig.max_poll_records),
      maxBytesPerPartition: Math.max(65_536, consumerConfig.max_poll_records * 1024),
      readUncommitted: transactional ? tx.transactional.isolation_level === "read_uncommitted" : false,
      security: security(consumerConfig.security, "messaging.kafka.consumer.security", protocolOverride, caOverride, ctx),
    },
    transactions: { enabled: transactional, timeoutMs: tx.transactional.timeout },
  };
}

function parseProtocol(value: string | undefined): SecurityProtocol | undefined {
  if (value === undefined || value === "") return undefined;
  const upper = value.toUpperCase() as SecurityProtocol;
  if (!PROTOCOLS.includes(upper)) {
    throw new ConfigError(`HYPC_KAFKA_SECURITY_PROTOCOL must be one of ${PROTOCOLS.join(", ")} (is "${value}")`);
  }
  return upper;
}

function security(
  config: KafkaSecurityConfig | undefined,
  keyPath: string,
  protocolOverride: SecurityProtocol | undefined,
  caOverride: string | undefined,
  ctx: AdapterContext,
): ClientSecurity {
  const configured: SecurityProtocol =
    config === undefined
      ? "PLAINTEXT"
      : config.sasl_mechanism !== undefined
        ? config.ssl_enabled
          ? "SASL_SSL"
          : "SASL_PLAINTEXT"
        : config.ssl_enabled
          ? "SSL"
          : "PLAINTEXT";
  const protocol = protocolOverride ?? configured;
  const useSasl = protocol === "SASL_PLAINTEXT" || protocol === "SASL_SSL";
  const useSsl = protocol === "SSL" || protocol === "SASL_SSL";
  let sasl: ClientSecurity["sasl"];
  if (useSasl) {
    if (config?.sasl_username === undefined || config.sasl_password === undefined) {
      throw new ConfigError(`${keyPath}: ${protocol} needs sasl_username and sasl_password`);
    }
    sasl = {
      mechanism: (config.sasl_mechanism ?? "PLAIN").toLowerCase() as "plain" | "scram-sha-256" | "scram-sha-512",
      username: ctx.resolve(config.sasl_username, `${keyPath}.sasl_username`),
      password: ctx.resolve(config.sasl_password, `${keyPath}.sasl_password`),
    };
  }
  const caFile = useSsl ? (caOverride ?? (config?.ssl_ca_file === undefined ? undefined : ctx.resolve(config.ssl_ca_file, `${keyPath}.ssl_ca_file`))) : undefined;
  return { protocol, ...(sasl ? { sasl } : {}), ...(caFile ? { caFile } : {}) };
}

/**
 * kafkajs consumer options from the seed's consumer block: what every subscription of the adapter uses (it adds
 * its own partition assigner), and what the benchmarks' raw kafkajs baselines use so they fetch and heartbeat alike.
 */
export function kafkajsConsumerConfig(c: KafkaSettings["consumer"], groupId: string): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: c.sessionTimeoutMs,
    heartbeatInterval: c.heartbeatIntervalMs,
    rebalanceTimeout: c.rebalanceTimeoutMs,
    maxBytesPerPartition: c.maxBytesPerPartition,
    maxWaitTimeInMs: 100,
    readUncommitted: c.readUncommitted,
    allowAutoTopicCreation: false,
  };
}
