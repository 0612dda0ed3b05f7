// message_monitoring.alerting evaluated in-process, on a fake clock: error rate with a minimum sample count,
// latency percentile, consumer lag with escalation, fire-once / resolve, and re-entrant sinks.
import { describe, expect, it } from "vitest";
import type { InstrumentationEvent } from "../../src/api.js";
import { InstrumentationHub } from "../../src/core/instrumentation.js";
import { MetricsObserver, MetricsRegistry } from "../../src/core/metrics.js";
import { AlertEvaluator, type AlertingConfig } from "../../src/monitoring/alert-evaluator.js";
import { ManualClock } from "../../src/monitoring/clock.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger } from "../helpers.js";

const seedAlerting: AlertingConfig = seedTopology.monitoring.alerting;

const consumed = (handler: string, latencyMs = 5): InstrumentationEvent => ({ kind: "consumed", topic: "t", eventType: "e", messageId: "m", handler, latencyMs, attempt: 1, traceId: "x", spanId: "y" });
const retried = (handler: string): InstrumentationEvent => ({ kind: "retried", topic: "t", eventType: "e", messageId: "m", handler, attempt: 1, delayMs: 10, error: "boom" });
const deadLettered = (handler: string): InstrumentationEvent => ({ kind: "dead_lettered", topic: "t", eventType: "e", messageId: "m", handler, category: "system_error", attempts: 3, error: "boom", dlqTopic: "t.dlq" });

function setup(options: { minSamples?: number; alerting?: AlertingConfig; lag?: ConstructorParameters<typeof AlertEvaluator>[0]["lag"] } = {}) {
  const clock = new ManualClock(1_000_000);
  const logger = recordingLogger();
  const emitted: InstrumentationEvent[] = [];
  const evaluator = new AlertEvaluator({ alerting: options.alerting ?? seedAlerting, logger, clock, ...(options.minSamples === undefined ? {} : { minSamples: options.minSamples }), ...(options.lag === undefined ? {} : { lag: options.lag }) });
  evaluator.attach((e) => emitted.push(e));
  return { clock, logger, emitted, evaluator };
}

describe("error_rate alert", () => {
  it("does not alert on one failure of one message (minimum sample count)", () => {
    const { evaluator, emitted } = setup();
    evaluator.onEvent(deadLettered("H"));
    evaluator.evaluate();
    expect(emitted).toEqual([]);
  });

  it("fires once at alert_level when failures/attempts exceed the threshold, and resolves when the window forgets them", () => {
    const { evaluator, emitted, clock, logger } = setup();
    for (let i = 0; i < 94; i++) evaluator.onEvent(consumed("H"));
    for (let i = 0; i < 5; i++) evaluator.onEvent(retried("H"));
    evaluator.evaluate(); // 5 of 99 = 5.05% > 5%
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({ kind: "alert", severity: "critical", category: "error_rate" });
    expect((emitted[0] as { message: string }).message).toContain("handler H");
    expect((emitted[0] as { message: string }).message).toContain("5 of 99");

    // Still breaching: evaluated again and again, no second alert.
    for (let i = 0; i < 10; i++) {
      evaluator.onEvent(retried("H"));
      clock.advance(1_000);
      evaluator.evaluate();
    }
    expect(emitted).toHaveLength(1);
    expect(evaluator.activeAlerts().map((a) => a.key)).toEqual(["error_rate:handler:H"]);

    // window_size is 300 s: after it, the failures are gone and healthy traffic resolves the alert.
    clock.advance(301_000);
    for (let i = 0; i < 50; i++) evaluator.onEvent(consumed("H"));
    evaluator.evaluate();
    expect(evaluator.activeAlerts()).toEqual([]);
    expect(logger.entries.some((e) => e.level === "info" && e.message.startsWith("resolved: error rate of handler H"))).toBe(true);

    // A new breach fires again.
    for (let i = 0; i < 10; i++) evaluator.onEvent(deadLettered("H"));
    evaluator.evaluate();
    expect(emitted.filter((e) => e.kind === "alert")).toHaveLength(2);
  });

  it("stays quiet exactly at the threshold and keeps handlers apart", () => {
    const { evaluator, emitted } = setup();
    for (let i = 0; i < 95; i++) evaluator.onEvent(consumed("Good"));
    for (let i = 0; i < 5; i++) evaluator.onEvent(retried("Good")); // 5.0%: not above
    for (let i = 0; i < 20; i++) evaluator.onEvent(deadLettered("Bad"));
    evaluator.evaluate();
    expect(emitted.map((e) => (e as { message: string }).message)).toEqual([expect.stringContaining("handler Bad")]);
  });

  it("rates publishes per topic (publish_failed vs published)", () => {
    const { evaluator, emitted } = setup({ minSamples: 10 });
    for (let i = 0; i < 8; i++) evaluator.onEvent({ kind: "published", topic: "orders", eventType: "e", messageId: "m", bytes: 10, latencyMs: 1, traceId: "x", spanId: "y" });
    for (let i = 0; i < 2; i++) evaluator.onEvent({ kind: "publish_failed", topic: "orders", eventType: "e", messageId: "m", error: "down", attempts: 3 });
    evaluator.evaluate();
    expect(emitted).toEqual([expect.objectContaining({ kind: "alert", category: "error_rate", message: expect.stringContaining("publishing to orders") })]);
  });

  it("resolves when traffic stops (fewer than minSamples in the window)", () => {
    const { evaluator, clock } = setup();
    for (let i = 0; i < 30; i++) evaluator.onEvent(retried("H"));
    evaluator.evaluate();
    expect(evaluator.activeAlerts()).toHaveLength(1);
    clock.advance(300_000);
    evaluator.evaluate();
    expect(evaluator.activeAlerts()).toEqual([]);
  });
});

describe("processing_latency alert", () => {
  it("fires when the configured percentile of handler latency exceeds the threshold", () => {
    const { evaluator, emitted } = setup();
    // p95 of 100 samples is the 95th smallest: 94 fast + 6 slow => p95 is slow.
    for (let i = 0; i < 94; i++) evaluator.onEvent(consumed("Slow", 100));
    for (let i = 0; i < 6; i++) evaluator.onEvent(consumed("Slow", 45_000));
    // 96 fast + 4 slow => p95 is fast.
    for (let i = 0; i < 96; i++) evaluator.onEvent(consumed("Fine", 100));
    for (let i = 0; i < 4; i++) evaluator.onEvent(consumed("Fine", 45_000));
    evaluator.evaluate();
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({ kind: "alert", severity: "warning", category: "processing_latency" });
    expect((emitted[0] as { message: string }).message).toMatch(/^p95 processing latency of handler Slow is \d+ ms/);
  });

  it("honours another percentile from the configuration", () => {
    const alerting: AlertingConfig = { ...seedAlerting, processing_latency: { threshold: 1_000, alert_level: "info", percentile: 50 } };
    const { evaluator, emitted } = setup({ alerting });
    for (let i = 0; i < 49; i++) evaluator.onEvent(consumed("H", 10));
    for (let i = 0; i < 51; i++) evaluator.onEvent(consumed("H", 2_000));
    evaluator.evaluate();
    expect(emitted).toEqual([expect.objectContaining({ severity: "info", category: "processing_latency" })]);
  });
});

describe("consumer_lag alert", () => {
  it("alerts when a group's lag exceeds the threshold, escalates once after escalation_time, resolves below", async () => {
    const lags = new Map<string, number>([
      ["g1", 5_000],
      ["g2", 10],
    ]);
    const { evaluator, emitted, clock } = setup({ lag: { source: async (g) => lags.get(g) ?? 0, groups: ["g1", "g2"] } });
    await evaluator.pollLag();
    expect(emitted).toEqual([expect.objectContaining({ kind: "alert", severity: "warning", category: "consumer_lag", message: expect.stringContaining("consumer group g1 lags 5000") })]);

    clock.advance(299_000);
    await evaluator.pollLag();
    expect(emitted).toHaveLength(1); // not yet 300 s

    clock.advance(1_000);
    await evaluator.pollLag();
    await evaluator.pollLag();
    expect(emitted.map((e) => e.kind)).toEqual(["alert", "escalated"]);
    expect(emitted[1]).toMatchObject({ category: "consumer_lag", message: expect.stringContaining("for 300 s") });

    lags.set("g1", 1_000); // at the threshold is fine
    await evaluator.pollLag();
    expect(evaluator.activeAlerts()).toEqual([]);
    expect(evaluator.lagSnapshot().get("g1")).toBe(1_000);

    // A new breach starts a new escalation clock.
    lags.set("g1", 2_000);
    await evaluator.pollLag();
    clock.advance(100_000);
    await evaluator.pollLag();
    expect(emitted.map((e) => e.kind)).toEqual(["alert", "escalated", "alert"]);
  });

  it("logs a failing lag source and keeps the alert state", async () => {
    let fail = false;
    const { evaluator, logger } = setup({ lag: { source: async () => (fail ? Promise.reject(new Error("admin unreachable")) : 2_000), groups: ["g"] } });
    await evaluator.pollLag();
    fail = true;
    await evaluator.pollLag();
    expect(evaluator.activeAlerts().map((a) => a.key)).toEqual(["consumer_lag:g"]);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: "cannot read the lag of consumer group g", fields: expect.objectContaining({ error: "admin unreachable" }) }));
  });
});

describe("wiring into the runtime's instrumentation hub", () => {
  it("is re-entrancy safe: its own alerts come back through the hub without loops, and the registry counts them", () => {
    const clock = new ManualClock(0);
    const logger = recordingLogger();
    const registry = new MetricsRegistry();
    const evaluator = new AlertEvaluator({ alerting: seedAlerting, logger, clock });
    const seen: InstrumentationEvent[] = [];
    // A nasty observer: evaluates again whenever it sees an alert (re-entering the evaluator mid-emission).
    const hub = new InstrumentationHub(
      [new MetricsObserver(registry, seedTopology.monitoring.metrics), evaluator, { onEvent: (e) => (seen.push(e), e.kind === "alert" ? evaluator.evaluate() : undefined) }],
      logger,
    );
    evaluator.attach((e) => hub.onEvent(e));
    for (let i = 0; i < 25; i++) hub.onEvent(retried("H"));
    evaluator.evaluate();
    expect(seen.filter((e) => e.kind === "alert")).toHaveLength(1);
    expect(registry.value("hypc_alerts_total", { severity: "critical", category: "error_rate" })).toBe(1);
  });

  it("evaluates on its timer after start() and stops cleanly", async () => {
    const emitted: InstrumentationEvent[] = [];
    const timed = new AlertEvaluator({ alerting: seedAlerting, logger: recordingLogger(), evaluateEveryMs: 10 });
    timed.attach((e) => emitted.push(e));
    for (let i = 0; i < 25; i++) timed.onEvent(retried("H"));
    timed.start();
    await new Promise((r) => setTimeout(r, 60));
    await timed.stop();
    expect(emitted.filter((e) => e.kind === "alert")).toHaveLength(1);
    expect(timed.activeAlerts().map((a) => a.key)).toEqual(["error_rate:handler:H"]);
  });
});
