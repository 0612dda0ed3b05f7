// A broker restart under load (`rabbitmqctl stop_app` / `start_app`, a few seconds of outage) loses nothing
// that was confirmed. It stops the broker for everyone, so it is not part of `npm test` (whose files run in
// parallel against this broker): `npm run test:disruptive` runs it alone, and .ci/run does so after `npm test`.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { rabbitmqctl, rabbitmqctlAvailable } from "./rabbitmqctl.js";
import { loadWithFault, TOTAL, transportsForTests } from "./load-with-fault.js";
import { rabbitSkip } from "./support.js";

const skip = await rabbitSkip();
const ctl = skip === false && (await rabbitmqctlAvailable());
if (process.env.HYPC_REQUIRE_BROKERS === "1" && !ctl) throw new Error("rabbitmq restart test: the broker or rabbitmqctl is not available (HYPC_REQUIRE_BROKERS=1)");
const run = `hypc-rmq-restart-${randomUUID().slice(0, 8)}`;

describe.skipIf(!ctl)("rabbitmq broker restart under load (confirmed vs handled)", () => {
  const open = transportsForTests(run, ctl);

  it("loses nothing across rabbitmqctl stop_app / start_app mid-load", { timeout: 180_000 }, async () => {
    const producer = await open();
    const consumer = await open();
    let outageMs = 0;
    const result = await loadWithFault(`${run}-restart`, producer, consumer, async () => {
      const started = Date.now();
      try {
        await rabbitmqctl("stop_app");
        await new Promise((r) => setTimeout(r, 1_000));
      } finally {
        await rabbitmqctl("start_app");
        outageMs = Date.now() - started;
      }
    });
    const duplicates = [...result.handled.values()].filter((c) => c > 1).length;
    console.info(`[faults] stop_app/start_app (${outageMs} ms): confirmed ${result.confirmed.size}/${TOTAL}, failed ${result.failed.length}, handled ${result.handled.size}, duplicates ${duplicates}`);
    expect(result.failed).toEqual([]);
    expect([...result.confirmed].filter((id) => !result.handled.has(id))).toEqual([]);
  });
});
