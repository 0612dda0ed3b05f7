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
}

/** Connections whose connection_name starts with `namePrefix`. */
export async function connectionsNamed(namePrefix: string): Promise<ConnectionInfo[]> {
  const out = await rabbitmqctl("list_connections", "pid", "timeout", "channel_max", "vhost", "user", "ssl", "client_properties");
  const found: ConnectionInfo[] = [];
  for (const line of out.split("\n").slice(1)) {
    const [pid, timeout, channelMax, vhost, user, ssl, props] = line.split("\t");
    const match = /\{"connection_name","([^"]*)"\}/.exec(props ?? "");
    if (pid === undefined || match?.[1] === undefined || !match[1].startsWith(namePrefix)) continue;
    found.push({ pid, name: match[1], timeout: Number(timeout), channelMax: Number(channelMax), vhost: vhost ?? "", user: user ?? "", ssl: ssl === "true" });
  }
  return found;
}

/** Server-side close (320 CONNECTION_FORCED), as `close_all_connections` does, but only for ours. */
export async function closeConnectionsNamed(namePrefix: string, reason: string): Promise<number> {
  const conns = await connectionsNamed(namePrefix);
  for (const c of conns) await rabbitmqctl("close_connection", c.pid, reason);
  return conns.length;
}
