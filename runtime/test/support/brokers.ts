// Shared by the broker-dependent suites: is the broker there, and what to do when it is not.
// Rule (house rules): a missing broker skips the suite with a clear reason, unless HYPC_REQUIRE_BROKERS=1,
// where the suite must FAIL instead (CI).
import { connect } from "node:net";

/** True when a TCP connection to host:port opens within `timeoutMs`. */
export async function brokerAvailable(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** True when HYPC_REQUIRE_BROKERS=1: missing brokers fail instead of skipping. */
export function brokersRequired(): boolean {
  return process.env.HYPC_REQUIRE_BROKERS === "1";
}

/**
 * The `skip` value for a suite: `false` when the broker is up; a reason otherwise. When brokers are
 * required, a missing broker throws here, so the test file fails with the reason.
 */
export function requireOrSkip(available: boolean, reason: string): string | false {
  if (available) return false;
  if (brokersRequired()) throw new Error(`broker required (HYPC_REQUIRE_BROKERS=1) but not available: ${reason}`);
  console.warn(`[brokers] skipped: ${reason} (set HYPC_REQUIRE_BROKERS=1 to make this fail)`);
  return reason;
}
