// event_producers.<P>.serialization.schema_registry at start-up: for every topic such a producer sends to, the
// JSON Schema of the topic's events goes to the registry under subject `<topic>-value` (Confluent's
// TopicNameStrategy). One subject per topic, so a topic carrying several event types gets one schema: the
// `oneOf` of their envelope schemas (registering each under the same subject would fail compatibility).
//  - auto_register: true  → POST /subjects/<subject>/versions (idempotent: the same schema keeps its id)
//  - auto_register: false → the subject must exist and the schema be compatible with its latest version
// The ids become the header x-hypc-schema-id of the producer's messages to that topic.
// When: HYPC_SCHEMA_REGISTRY=auto (default) → only with configured transports (the embedded mode skips it with a
// debug log: a development run needs no registry); =always → also embedded; =off → never.
// Failures stop start-up with a ConfigError naming url and subject — unless the registry is unreachable and
// HYPC_SCHEMA_REGISTRY_OPTIONAL=1, then a warning and the producer runs without schema ids.
// The url comes from the configuration; HYPC_SCHEMA_REGISTRY_URL overrides it (tests, local runs).
import type { Logger } from "../api.js";
import { ConfigError } from "../errors.js";
import type { JsonSchema, Topology } from "../topology.js";
import { SchemaRegistryClient, SchemaRegistryUnreachable } from "./client.js";

export interface SchemaPlan {
  readonly url: string;
  readonly topic: string;
  readonly subject: string;
  readonly autoRegister: boolean;
  /** Schema text as registered. */
  readonly schema: string;
  /** Producers it was planned for (for messages). */
  readonly producers: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

export function schemaRegistryWanted(mode: "embedded" | "configured", env: Env): boolean {
  const setting = env.HYPC_SCHEMA_REGISTRY ?? "auto";
  if (setting === "" || setting === "auto") return mode === "configured";
  if (setting === "always") return true;
  if (setting === "off") return false;
  throw new ConfigError(`HYPC_SCHEMA_REGISTRY must be "auto", "always" or "off", not "${setting}"`);
}

/** One plan per (registry url, topic) of every producer with a schema_registry block. */
export function schemaPlans(topology: Topology, env: Env): SchemaPlan[] {
  const schemas = new Map(topology.events.map((e) => [e.eventType, e.schema]));
  const plans = new Map<string, { url: string; topic: string; autoRegister: boolean; types: Set<string>; producers: string[] }>();
  for (const p of topology.producers) {
    const registry = p.serialization.schema_registry;
    if (registry === undefined) continue;
    const url = env.HYPC_SCHEMA_REGISTRY_URL || registry.url;
    for (const route of p.routes) {
      const key = `${url}\u0000${route.topic}`;
      let plan = plans.get(key);
      if (plan === undefined) plans.set(key, (plan = { url, topic: route.topic, autoRegister: registry.auto_register, types: new Set(), producers: [] }));
      // Two producers on one topic, one of them not allowed to register: nobody registers.
      plan.autoRegister &&= registry.auto_register;
      plan.types.add(route.eventType);
      if (!plan.producers.includes(p.name)) plan.producers.push(p.name);
    }
  }
  return [...plans.values()].map((plan) => ({
    url: plan.url,
    topic: plan.topic,
    subject: `${plan.topic}-value`,
    autoRegister: plan.autoRegister,
    schema: JSON.stringify(topicSchema([...plan.types].sort().map((t) => schemas.get(t) ?? {}))),
    producers: plan.producers,
  }));
}

/** The schema of a topic: its only event's envelope schema, or the oneOf of several. */
export function topicSchema(schemas: readonly JsonSchema[]): JsonSchema {
  if (schemas.length === 1) return schemas[0]!;
  const dialect = schemas.find((s) => typeof s.$schema === "string")?.$schema;
  const inner = schemas.map((s) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$schema")));
  return { ...(dialect === undefined ? {} : { $schema: dialect }), oneOf: inner };
}

/** Registers / checks every plan; returns schema ids by topic (topics whose registry was optional and down are absent). */
export async function registerSchemas(plans: readonly SchemaPlan[], env: Env, logger: Logger): Promise<Map<string, number>> {
  const clients = new Map<string, SchemaRegistryClient>();
  const ids = new Map<string, number>();
  const optional = env.HYPC_SCHEMA_REGISTRY_OPTIONAL === "1";
  for (const plan of plans) {
    let client = clients.get(plan.url);
    if (client === undefined) clients.set(plan.url, (client = new SchemaRegistryClient({ url: plan.url })));
    try {
      const id = plan.autoRegister ? await client.register(plan.subject, plan.schema) : await client.checkCompatible(plan.subject, plan.schema);
      ids.set(plan.topic, id);
      logger.info(plan.autoRegister ? "schema registered" : "schema checked against the registry", { url: plan.url, subject: plan.subject, id });
    } catch (error) {
      if (error instanceof SchemaRegistryUnreachable) {
        if (optional) {
          logger.warn("schema registry unreachable; going on without schema ids (HYPC_SCHEMA_REGISTRY_OPTIONAL=1)", { url: plan.url, subject: plan.subject, error: error.message });
          continue;
        }
        throw new ConfigError(`${error.message} while ${plan.autoRegister ? "registering" : "checking"} subject ${plan.subject} (producers ${plan.producers.join(", ")}); set HYPC_SCHEMA_REGISTRY_OPTIONAL=1 to start without it`, { cause: error });
      }
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`schema registry ${plan.url}, subject ${plan.subject}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  return ids;
}
