// Transport selection: a Transport instance, "embedded" (default: one in-process broker for every block) or
// "configured" (one adapter per broker kind the configuration uses, loaded lazily). Env references of the
// brokers in use are checked first so a missing variable stops start-up before any connection.
import type { Logger, TransportMode } from "../api.js";
import { createConfiguredTransport } from "../adapters/index.js";
import { ConfigError } from "../errors.js";
import { EmbeddedTransport } from "../embedded/transport.js";
import type { BrokerKind, Topology } from "../topology.js";
import type { Transport } from "../transport.js";
import { checkEnvRefs, createAdapterContext } from "./env.js";

/** The env variable that points a broker's adapter at a local server (documented in adapters/context.ts). */
const OVERRIDES: Record<BrokerKind, string> = {
  kafka: "HYPC_KAFKA_BOOTSTRAP_SERVERS",
  rabbitmq: "HYPC_RABBITMQ_URL",
  activemq: "HYPC_ACTIVEMQ_URL",
  aws_messaging: "HYPC_SQS_ENDPOINT",
};

export function brokersInUse(topology: Topology): BrokerKind[] {
  const kinds = new Set<BrokerKind>();
  for (const p of topology.producers) kinds.add(p.broker);
  for (const c of topology.consumers) kinds.add(c.broker);
  for (const r of topology.requestReply) kinds.add(r.broker);
  for (const s of topology.pubSub) kinds.add(s.broker);
  if (topology.deadLetter !== undefined) kinds.add(topology.deadLetter.broker);
  return [...kinds];
}

export function selectMode(option: TransportMode | Transport | undefined, env: Readonly<Record<string, string | undefined>>): TransportMode | Transport {
  if (option !== undefined) return option;
  const fromEnv = env.HYPC_TRANSPORT;
  if (fromEnv === undefined || fromEnv === "" || fromEnv === "embedded") return "embedded";
  if (fromEnv === "configured") return "configured";
  throw new ConfigError(`HYPC_TRANSPORT must be "embedded" or "configured", not "${fromEnv}"`);
}

/** One transport per broker kind (the same instance for every kind unless configured). Not yet connected. */
export async function createTransports(
  topology: Topology,
  mode: TransportMode | Transport,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<Map<BrokerKind, Transport>> {
  const kinds = brokersInUse(topology);
  const byKind = new Map<BrokerKind, Transport>();
  if (typeof mode === "object" || mode === "embedded") {
    const shared = typeof mode === "object" ? mode : new EmbeddedTransport();
    for (const kind of kinds) byKind.set(kind, shared);
    return byKind;
  }
  // Every env reference of the brokers in use must be set — unless a loopback override of that broker is set
  // (tests, local runs): then the adapter resolves only what it still needs, through ctx.resolve.
  for (const kind of kinds) {
    const override = OVERRIDES[kind];
    if (env[override] !== undefined && env[override] !== "") continue;
    checkEnvRefs(topology.messaging[kind], `messaging.${kind}`, env);
  }
  const ctx = createAdapterContext(topology, env, logger);
  for (const kind of kinds) byKind.set(kind, await createConfiguredTransport(kind, ctx));
  return byKind;
}

export function uniqueTransports(byKind: ReadonlyMap<BrokerKind, Transport>): Transport[] {
  return [...new Set(byKind.values())];
}
