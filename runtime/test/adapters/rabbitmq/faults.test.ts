// Faults under load, counting what the broker confirmed against what handlers saw: nothing confirmed may be
// lost (duplicates are allowed: at-least-once). Two faults:
//  1. the broker closes our connections (320 CONNECTION_FORCED, what `rabbitmqctl close_all_connections`
//     does) — only ours, by connection_name: other suites share this broker;
//  2. `rabbitmqctl stop_app` / `start_app` (a broker restart): restart.disruptive.test.ts, run alone by
//     `npm run test:disruptive` (it stops the broker for everyone).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { closeConnectionsNamed, rabbitmqctlAvailable } from "./rabbitmqctl.js";
import { loadWithFault, TOTAL, transportsForTests } from "./load-with-fault.js";
import { rabbitSkip, recordingLogger } from "./support.js";

const skip = await rabbitSkip();
const ctl = skip === false && (await rabbitmqctlAvailable());
const run = `hypc-rmq-faults-${randomUUID().slice(0, 8)}`;

describe.skipIf(skip !== false || !ctl)("rabbitmq faults under load (confirmed vs handled)", () => {
  const open = transportsForTests(run, ctl);

  it("loses nothing when the broker force-closes our connections mid-load", { timeout: 120_000 }, async () => {
    const producerLog = recordingLogger();
    const consumerLog = recordingLogger();
    const producer = await open(producerLog);
    const consumer = await open(consumerLog);
    const result = await loadWithFault(`${run}-forced`, producer, consumer, async () => {
      const closed = await closeConnectionsNamed(producer.connectionName, "hypc fault test");
      const closedConsumer = await closeConnectionsNamed(consumer.connectionName, "hypc fault test");
      expect(closed + closedConsumer).toBe(2);
    });
    const duplicates = [...result.handled.values()].filter((c) => c > 1).length;
    console.info(`[faults] forced close: confirmed ${result.confirmed.size}/${TOTAL}, failed ${result.failed.length}, handled ${result.handled.size}, duplicates ${duplicates}`);
    expect(result.failed).toEqual([]);
    expect(result.confirmed.size).toBe(TOTAL);
    expect([...result.confirmed].filter((id) => !result.handled.has(id))).toEqual([]);
    expect(producerLog.lines.some((l) => l.message.includes("recovered"))).toBe(true);
    expect(consumerLog.lines.some((l) => l.message.includes("recovered"))).toBe(true);
    expect(consumerLog.lines.some((l) => l.message.includes("subscription resumed"))).toBe(true);
  });
});
