// Shared by the fault tests of the AWS and ActiveMQ adapters: a broker restarted in the middle of a steady
// publish/consume load loses nothing. Counts what the broker acknowledged to the publisher against what the
// subscriber handled (by message id). Every loop is bounded in count and time.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { OutgoingMessage, Transport } from "../../../src/transport.js";

const run = promisify(execFile);
export const REPO_ROOT = resolve(import.meta.dirname, "../../../..");

/** Runs `scripts/brokers/<script> <action>` with extra env (port/state of a private instance). */
export async function brokerScript(script: string, action: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await run("bash", [resolve(REPO_ROOT, "scripts/brokers", script), action], {
    env: { ...process.env, ...env },
    timeout: 180_000,
  });
  return stdout.trim();
}

export interface RestartResult {
  readonly acknowledged: number;
  readonly handled: number;
  readonly lost: string[];
  /** Sequence numbers of the lost messages, and when (ms from start) their publish was acknowledged. */
  readonly lostDetail: string[];
  readonly publishErrors: number;
  /** Publish calls that waited more than a second (the adapter held them while reconnecting). */
  readonly stalledPublishes: number;
  readonly restartMs: number;
}

export async function restartUnderLoad(opts: {
  readonly publisher: Transport;
  readonly subscriber: Transport;
  readonly topic: string;
  readonly group: string;
  /** Messages published before the restart begins; publishing then goes on until the broker is back. */
  readonly total: number;
  readonly stop: () => Promise<void>;
  readonly start: () => Promise<void>;
  /**
   * Hold publishing while the broker is being stopped (it resumes, and fails/retries, while the broker is
   * down). For brokers whose store is write-behind (ElasticMQ's H2 store): a send acknowledged during their
   * own shutdown may never reach the disk, a loss of the broker, not of the adapter.
   */
  readonly pausePublishingDuringStop?: boolean;
  readonly deadlineMs: number;
}): Promise<RestartResult> {
  const { publisher, subscriber, topic, group, total } = opts;
  const handled = new Set<string>();
  const acknowledged = new Set<string>();
  const detail = new Map<string, string>();
  const t0 = Date.now();
  await subscriber.subscribe({ group, topics: [topic], concurrency: 8 }, async (m) => {
    handled.add(m.id);
    await m.ack().catch(() => undefined); // a lost ack only means a redelivery (at-least-once)
  });

  const deadline = Date.now() + opts.deadlineMs;
  let publishErrors = 0;
  let stalledPublishes = 0;
  let restartMs = 0;
  let restarting: Promise<void> | undefined;
  let restarted = false;
  let paused: Promise<void> | undefined;
  const batchSize = 10;
  const maxMessages = total * 20;
  // Before the restart: `total` messages; then on until the broker is back and `total` more went through.
  let afterRestart = 0;
  for (let sent = 0; sent < maxMessages && afterRestart < total && Date.now() < deadline; ) {
    const batch: OutgoingMessage[] = Array.from({ length: batchSize }, (_, i) => ({
      topic,
      key: `k-${(sent + i) % 7}`,
      body: Buffer.from(JSON.stringify({ n: sent + i })),
      headers: { "x-test-n": String(sent + i) },
      id: randomUUID(),
    }));
    if (paused !== undefined) {
      await paused;
      paused = undefined;
    }
    // Retry the same batch (same ids) until the broker takes it: duplicates are fine, losses are not.
    for (let attempt = 0; attempt < 600 && Date.now() < deadline; attempt++) {
      try {
        const began = Date.now();
        await publisher.publish(batch);
        if (Date.now() - began > 1000) stalledPublishes++;
        for (const m of batch) {
          acknowledged.add(m.id);
          detail.set(m.id, `n=${m.headers["x-test-n"]} acked at ${Date.now() - t0} ms, attempt ${attempt + 1}`);
        }
        break;
      } catch {
        publishErrors++;
        await sleep(200);
      }
    }
    sent += batch.length;
    if (restarted) afterRestart += batch.length;
    if (restarting === undefined && sent >= total) {
      const started = Date.now();
      detail.set("restart", `restart began at ${started - t0} ms`);
      const stopping = opts.stop();
      if (opts.pausePublishingDuringStop === true) paused = stopping.catch(() => undefined);
      restarting = stopping.then(() => opts.start()).then(() => {
        restartMs = Date.now() - started;
        restarted = true;
      });
    }
    await sleep(5); // a steady load, not one burst
  }
  await restarting;
  while (Date.now() < deadline && [...acknowledged].some((id) => !handled.has(id))) await sleep(100);
  return {
    acknowledged: acknowledged.size,
    handled: handled.size,
    lost: [...acknowledged].filter((id) => !handled.has(id)),
    lostDetail: [detail.get("restart") ?? "", `restart ended at ${restartMs === 0 ? "?" : "see restartMs"}`,
      ...[...acknowledged].filter((id) => !handled.has(id)).map((id) => detail.get(id) ?? id)],
    publishErrors,
    stalledPublishes,
    restartMs,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
