// Test wiring for the Kafka adapter: the seed's kafka block and message_guarantees (seed values, defaults
// applied as the compiler emits them), pointed at the local broker through HYPC_KAFKA_BOOTSTRAP_SERVERS as
// the runtime would be in CI. Env read: HYPC_KAFKA_BOOTSTRAP_SERVERS (default 127.0.0.1:9092).
import type { Logger } from "../../../src/api.js";
import type { AdapterContext } from "../../../src/adapters/context.js";
import { ConfigError } from "../../../src/errors.js";
import type { GuaranteesConfig, KafkaConfig, Topology } from "../../../src/topology.js";
import { brokerAvailable, requireOrSkip } from "../../support/brokers.js";

export const BOOTSTRAP = process.env.HYPC_KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";

export async function kafkaSkip(bootstrap = BOOTSTRAP): Promise<string | false> {
  const [host, port] = (bootstrap.split(",")[0] ?? "").split(":");
  const up = await brokerAvailable(host ?? "127.0.0.1", Number(port ?? 9092));
  return requireOrSkip(up, `Kafka not reachable at ${bootstrap} (start it: scripts/brokers/kafka.sh start)`);
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function seedKafkaConfig(overrides: { producer?: Partial<KafkaConfig["producer"]>; consumer?: Partial<KafkaConfig["consumer"]> } = {}): KafkaConfig {
  const security = { sasl_mechanism: "PLAIN" as const, sasl_username: { env: "KAFKA_USERNAME" }, sasl_password: { env: "KAFKA_PASSWORD" }, ssl_enabled: true };
  return {
    bootstrap_servers: ["kafka-1.example.com:9092", "kafka-2.example.com:9092", "kafka-3.example.com:9092"],
    client_id: "hypc-test",
    producer: { acks: "all", retries: 3, batch_size: 16384, linger_ms: 5, buffer_memory: 33554432, compression_type: "snappy", security, ...overrides.producer },
    consumer: {
      group_id: "hypnoscript-consumer-group",
      auto_offset_reset: "earliest",
      enable_auto_commit: false,
      auto_commit_interval_ms: 5000,
      session_timeout_ms: 30000,
      heartbeat_interval_ms: 3000,
      max_poll_records: 500,
      max_poll_interval_ms: 300000,
      security,
      ...overrides.consumer,
    },
  };
}

export function seedGuarantees(overrides: DeepPartial<GuaranteesConfig> = {}): GuaranteesConfig {
  const base: GuaranteesConfig = {
    at_least_once: {
      enabled: true,
      producer: { acks: "all", retries: 3, idempotence: true, transactional: true },
      consumer: { manual_commit: true, commit_sync: true, offset_commit_interval: 1000 },
    },
    exactly_once: {
      enabled: true,
      idempotence: { enabled: true, key_strategy: "message_id", storage: "redis", ttl: 86400 },
      transactional: { enabled: true, isolation_level: "read_committed", timeout: 30000 },
    },
    message_ordering: {
      enabled: true,
      partition_key: { strategy: "hash", fields: ["script_id"] },
      consumer_groups: { single_partition_consumers: true, max_concurrent_partitions: 10 },
    },
  };
  return merge(base, overrides) as GuaranteesConfig;
}

/** The seed's guarantees without exactly_once.transactional (plain at-least-once consumption). */
export function atLeastOnceGuarantees(): GuaranteesConfig {
  return seedGuarantees({ exactly_once: { transactional: { enabled: false } } });
}

function merge(base: unknown, over: unknown): unknown {
  if (typeof base !== "object" || base === null || Array.isArray(base) || typeof over !== "object" || over === null) return over ?? base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge((base as Record<string, unknown>)[k], v);
  return out;
}

export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m, f) => (process.env.HYPC_TEST_LOG ? console.warn(m, f) : undefined),
  error: (m, f) => (process.env.HYPC_TEST_LOG ? console.error(m, f) : undefined),
};

export function testContext(
  options: { env?: Record<string, string | undefined>; guarantees?: GuaranteesConfig; logger?: Logger } = {},
): AdapterContext {
  const env = options.env ?? { HYPC_KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP };
  return {
    env,
    logger: options.logger ?? quietLogger,
    resolve(value, keyPath) {
      if (typeof value === "string") return value;
      const v = env[value.env];
      if (v === undefined) throw new ConfigError(`${keyPath}: environment variable ${value.env} is not set`);
      return v;
    },
    guarantees: options.guarantees ?? atLeastOnceGuarantees(),
    topology: { consumers: [], pubSub: [] } as unknown as Topology,
  };
}
