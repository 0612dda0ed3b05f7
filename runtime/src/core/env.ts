// env.NAME references, resolved at start-up. A missing variable stops start-up with a ConfigError naming the
// variable and the key that needs it. Values are never logged.
import type { AdapterContext } from "../adapters/context.js";
import type { Logger } from "../api.js";
import { ConfigError } from "../errors.js";
import type { StringOrEnv, Topology } from "../topology.js";

export function isEnvRef(value: unknown): value is { env: string } {
  return typeof value === "object" && value !== null && typeof (value as { env?: unknown }).env === "string" && Object.keys(value).length === 1;
}

export function resolveValue(value: StringOrEnv, keyPath: string, env: Readonly<Record<string, string | undefined>>): string {
  if (typeof value === "string") return value;
  const resolved = env[value.env];
  if (resolved === undefined || resolved === "") {
    throw new ConfigError(`environment variable ${value.env} is not set (needed by ${keyPath})`);
  }
  return resolved;
}

/** Every env reference under `root`, with its key path (e.g. messaging.kafka.producer.security.sasl_password). */
export function collectEnvRefs(root: unknown, path: string): { keyPath: string; ref: { env: string } }[] {
  const found: { keyPath: string; ref: { env: string } }[] = [];
  const walk = (node: unknown, at: string): void => {
    if (isEnvRef(node)) {
      found.push({ keyPath: at, ref: node });
      return;
    }
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}[${i}]`));
    else if (typeof node === "object" && node !== null) for (const [k, v] of Object.entries(node)) walk(v, `${at}.${k}`);
  };
  walk(root, path);
  return found;
}

/** Fails on the first missing variable, listing all missing ones. */
export function checkEnvRefs(root: unknown, path: string, env: Readonly<Record<string, string | undefined>>): void {
  const missing = collectEnvRefs(root, path).filter(({ ref }) => env[ref.env] === undefined || env[ref.env] === "");
  if (missing.length > 0) {
    throw new ConfigError(
      `environment variable${missing.length > 1 ? "s" : ""} not set: ${missing.map(({ ref, keyPath }) => `${ref.env} (needed by ${keyPath})`).join(", ")}`,
    );
  }
}

export function createAdapterContext(topology: Topology, env: Readonly<Record<string, string | undefined>>, logger: Logger): AdapterContext {
  return {
    resolve: (value, keyPath) => resolveValue(value, keyPath, env),
    env,
    logger,
    guarantees: topology.guarantees,
    topology,
  };
}
