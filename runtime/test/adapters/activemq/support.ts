// Test wiring for the ActiveMQ adapter: the seed's activemq block pointed at the local Artemis
// (scripts/brokers/artemis.sh start) through HYPC_ACTIVEMQ_URL, default tcp://127.0.0.1:61616,
// credentials ACTIVEMQ_USERNAME / ACTIVEMQ_PASSWORD (default hypc / hypc, as the start script creates them).
import type { ActiveMqConfig } from "../../../src/topology.js";
import { brokerAvailable, requireOrSkip } from "../../support/brokers.js";

export const ACTIVEMQ_URL = process.env.HYPC_ACTIVEMQ_URL ?? "tcp://127.0.0.1:61616";
export const ACTIVEMQ_ENV = {
  HYPC_ACTIVEMQ_URL: ACTIVEMQ_URL,
  ACTIVEMQ_USERNAME: process.env.ACTIVEMQ_USERNAME ?? process.env.HYPC_ARTEMIS_USER ?? "hypc",
  ACTIVEMQ_PASSWORD: process.env.ACTIVEMQ_PASSWORD ?? process.env.HYPC_ARTEMIS_PASSWORD ?? "hypc",
};

export async function artemisSkip(): Promise<string | false> {
  const url = new URL(ACTIVEMQ_URL);
  const port = url.port === "" ? 61616 : Number(url.port);
  return requireOrSkip(await brokerAvailable(url.hostname, port), `ActiveMQ Artemis not reachable at ${url.host} (start it: scripts/brokers/artemis.sh start)`);
}

/** The seed's block as the compiler emits it. */
export function seedActiveMqConfig(overrides: { connection?: Partial<ActiveMqConfig["connection"]>; session_pool?: Partial<ActiveMqConfig["session_pool"]> } = {}): ActiveMqConfig {
  return {
    broker_url: "tcp://activemq.example.com:61616",
    username: { env: "ACTIVEMQ_USERNAME" },
    password: { env: "ACTIVEMQ_PASSWORD" },
    connection: { max_connections: 50, connection_timeout: 30000, idle_timeout: 300000, keep_alive: true, ...overrides.connection },
    session_pool: { max_sessions: 200, session_timeout: 60000, ...overrides.session_pool },
  };
}
