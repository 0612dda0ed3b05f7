// Test wiring for the AWS adapter: the seed's aws_messaging block (seed values), pointed at local emulators.
//   ElasticMQ (SQS only, publisher-side fan-out): HYPC_SQS_ENDPOINT, default http://127.0.0.1:9324
//     (scripts/brokers/elasticmq.sh start)
//   fauxqs (SNS + SQS, SNS fan-out): started in-process by the tests on a free loopback port.
import { buildApp } from "fauxqs";
import type { Logger } from "../../../src/api.js";
import type { AdapterContext } from "../../../src/adapters/context.js";
import { ConfigError } from "../../../src/errors.js";
import type { AwsMessagingConfig, GuaranteesConfig, Topology } from "../../../src/topology.js";
import { brokerAvailable, requireOrSkip } from "../../support/brokers.js";

export const ELASTICMQ_ENDPOINT = process.env.HYPC_SQS_ENDPOINT ?? "http://127.0.0.1:9324";

/** Dummy credentials: the emulators accept any; the seed reads them from these env variables. */
export const TEST_CREDENTIALS = { AWS_ACCESS_KEY_ID: "hypc-test", AWS_SECRET_ACCESS_KEY: "hypc-test-secret" };

export async function elasticMqSkip(): Promise<string | false> {
  const url = new URL(ELASTICMQ_ENDPOINT);
  const port = url.port === "" ? 80 : Number(url.port);
  return requireOrSkip(
    await brokerAvailable(url.hostname, port),
    `ElasticMQ not reachable at ${url.host} (start it: scripts/brokers/elasticmq.sh start)`,
  );
}

/** An in-process fauxqs bound to 127.0.0.1 on a free port; stop() closes it. */
export async function startFauxqs(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const app = buildApp({ logger: false, defaultRegion: "eu-west-1" });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("fauxqs: no port");
  return { endpoint: `http://127.0.0.1:${address.port}`, stop: () => app.close() };
}

/** The seed's block as the compiler emits it. */
export function seedAwsConfig(overrides: { sqs?: Partial<AwsMessagingConfig["sqs"]>; sns?: Partial<AwsMessagingConfig["sns"]> } = {}): AwsMessagingConfig {
  return {
    region: "eu-west-1",
    access_key_id: { env: "AWS_ACCESS_KEY_ID" },
    secret_access_key: { env: "AWS_SECRET_ACCESS_KEY" },
    sqs: {
      max_messages: 10,
      visibility_timeout: 30,
      wait_time_seconds: 20,
      message_retention_period: 1209600,
      receive_message_wait_time_seconds: 20,
      ...overrides.sqs,
    },
    sns: { message_structure: "json", message_attributes: true, ...overrides.sns },
  };
}

export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m, f) => (process.env.HYPC_TEST_LOG ? console.warn(m, f) : undefined),
  error: (m, f) => (process.env.HYPC_TEST_LOG ? console.error(m, f) : undefined),
};

/** A topology with no blocks: the adapter's decisions then come from the TopicSpecs and options alone. */
export function emptyTopology(overrides: Partial<Topology> = {}): Topology {
  return {
    topologyVersion: 1,
    messaging: {},
    defaultBroker: "aws_messaging",
    events: [],
    topics: [],
    producers: [],
    consumers: [],
    requestReply: [],
    pubSub: [],
    guarantees: { message_ordering: { enabled: false } } as unknown as GuaranteesConfig,
    monitoring: {} as Topology["monitoring"],
    ...overrides,
  };
}

export function testContext(env: Record<string, string | undefined>, topology: Topology = emptyTopology(), logger: Logger = quietLogger): AdapterContext {
  return {
    env,
    logger,
    resolve(value, keyPath) {
      if (typeof value === "string") return value;
      const v = env[value.env];
      if (v === undefined) throw new ConfigError(`${keyPath}: environment variable ${value.env} is not set`);
      return v;
    },
    guarantees: topology.guarantees,
    topology,
  };
}
