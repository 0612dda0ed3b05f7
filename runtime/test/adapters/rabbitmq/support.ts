// Test wiring for the RabbitMQ adapter: the seed's rabbitmq block (with the seed's values), pointed at the
// local broker through HYPC_RABBITMQ_URL as the runtime would be in CI.
import type { Logger } from "../../../src/api.js";
import type { AdapterContext } from "../../../src/adapters/context.js";
import { ConfigError } from "../../../src/errors.js";
import type { GuaranteesConfig, RabbitMqConfig, Topology } from "../../../src/topology.js";
import { brokerAvailable, requireOrSkip } from "../../support/brokers.js";

/** Env the tests read: HYPC_RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672/). */
export const RABBIT_URL = process.env.HYPC_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672/";

export async function rabbitSkip(): Promise<string | false> {
  const url = new URL(RABBIT_URL);
  const port = url.port === "" ? 5672 : Number(url.port);
  return requireOrSkip(await brokerAvailable(url.hostname, port), `RabbitMQ not reachable at ${url.hostname}:${port}`);
}

/** The seed's block as the compiler emits it (defaults applied). */
export function seedConfig(overrides: { connection?: Partial<RabbitMqConfig["connection"]>; channel_pool?: Partial<RabbitMqConfig["channel_pool"]>; ssl?: Partial<RabbitMqConfig["ssl"]> } = {}): RabbitMqConfig {
  return {
    host: "rabbitmq.example.com",
    port: 5672,
    virtual_host: "/hypnoscript",
    username: { env: "RABBITMQ_USERNAME" },
    password: { env: "RABBITMQ_PASSWORD" },
    connection: {
      heartbeat: 60,
      connection_timeout: 60000,
      channel_rpc_timeout: 10000,
      automatic_recovery: true,
      network_recovery_interval: 5000,
      ...overrides.connection,
    },
    channel_pool: { max_channels: 100, channel_timeout: 30000, ...overrides.channel_pool },
    ssl: { enabled: true, verify_peer: true, fail_if_no_peer_cert: false, ...overrides.ssl },
  };
}

export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m, f) => (process.env.HYPC_TEST_LOG ? console.warn(m, f) : undefined),
  error: (m, f) => (process.env.HYPC_TEST_LOG ? console.error(m, f) : undefined),
};

/** Records what the adapter logs, for assertions. */
export function recordingLogger(): Logger & { readonly lines: { level: string; message: string; fields?: object }[] } {
  const lines: { level: string; message: string; fields?: object }[] = [];
  const log = (level: string) => (message: string, fields?: object) => void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { lines, debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export function testContext(
  env: Record<string, string | undefined> = { HYPC_RABBITMQ_URL: RABBIT_URL },
  logger: Logger = quietLogger,
  topology?: Topology,
): AdapterContext {
  return {
    env,
    logger,
    resolve(value, keyPath) {
      if (typeof value === "string") return value;
      const v = env[value.env];
      if (v === undefined) throw new ConfigError(`${keyPath}: environment variable ${value.env} is not set`);
      return v;
    },
    guarantees: { message_ordering: { enabled: false } } as unknown as GuaranteesConfig,
    topology: topology ?? ({ consumers: [], pubSub: [] } as unknown as Topology),
  };
}
