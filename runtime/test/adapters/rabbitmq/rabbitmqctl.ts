// rabbitmqctl from the tests: inspect and close *our own* connections (found by their connection_name),
// never other people's — the broker is shared with other suites running at the same time.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run("rabbitmqctl", [...args, "-q"], { timeout: 60_000 });
  return stdout;
}

/** Tests that need rabbitmqctl (vhosts, listings, forced closes) skip with a warning without it. */
export async function rabbitmqctlAvailable(): Promise<boolean> {
  try {
    await rabbitmqctl("status");
    return true;
  } catch (err) {
    console.warn(`[rabbitmq] tests needing rabbitmqctl skipped: ${(err as Error).message.split("\n")[0]}`);
    return false;
  }
}

export interface ConnectionInfo {
  readonly pid: string;
  readonly name: string;
  readonly timeout: number;
  readonly channelMax: number;
  readonly vhost: string;
  readonly user: string;
  readonly ssl: boolean;
  readonly channels: number;
}

/** Connections whose connection_name starts with `namePrefix`. */
export async function connectionsNamed(namePrefix: string): Promise<ConnectionInfo[]> {
  const out = await rabbitmqctl("list_connections", "pid", "timeout", "channel_max", "vhost", "user", "ssl", "channels", "client_properties");
  const found: ConnectionInfo[] = [];
  for (const line of out.split("\n").slice(1)) {
    const [pid, timeout, channelMax, vhost, user, ssl, channels, props] = line.split("\t");
    const match = /\{"connection_name","([^"]*)"\}/.exec(props ?? "");
    if (pid === undefined || match?.[1] === undefined || !match[1].startsWith(namePrefix)) continue;
    found.push({ pid, name: match[1], timeout: Number(timeout), channelMax: Number(channelMax), vhost: vhost ?? "", user: user ?? "", ssl: ssl === "true", channels: Number(channels) });
  }
  return found;
}

/** Server-side close (320 CONNECTION_FORCED), as `close_all_connections` does, but only for ours. */
export async function closeConnectionsNamed(namePrefix: string, reason: string): Promise<number> {
  const conns = await connectionsNamed(namePrefix);
  for (const c of conns) await rabbitmqctl("close_connection", c.pid, reason);
  return conns.length;
}

/** A throw-away vhost (guest has all permissions); delete it with deleteVhost. */
export async function createVhost(name: string): Promise<void> {
  await rabbitmqctl("add_vhost", name);
  await rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
}

export async function deleteVhost(name: string): Promise<void> {
  await rabbitmqctl("delete_vhost", name).catch(() => undefined);
}

/** Deletes the queues and exchanges of vhost "/" whose names start with `prefix` (a test run's own objects). */
export function deleteObjectsWithPrefix(prefix: string): Promise<void> {
  return deleteObjectsWhere((name) => name.startsWith(prefix));
}

/** Deletes the queues and exchanges of vhost "/" whose names contain `part` (a test run's unique id). */
export function deleteObjectsContaining(part: string): Promise<void> {
  return deleteObjectsWhere((name) => name.includes(part));
}

async function deleteObjectsWhere(match: (name: string) => boolean): Promise<void> {
  const names = (out: string): string[] =>
    out
      .split("\n")
      .slice(1)
      .map((l) => l.split("\t")[0] ?? "")
      .filter(match);
  const queues = names(await rabbitmqctl("list_queues", "name"));
  const exchanges = names(await rabbitmqctl("list_exchanges", "name"));
  if (queues.length + exchanges.length === 0) return;
  // One rabbitmqctl call costs ~0.5 s; amqplib deletes in a few ms.
  const amqp = (await import("amqplib")).default;
  const conn = await amqp.connect(process.env.HYPC_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672/");
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q);
    for (const e of exchanges) await ch.deleteExchange(e);
  } finally {
    await conn.close().catch(() => undefined);
  }
}
