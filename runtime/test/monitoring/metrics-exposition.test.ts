// The metric switches at the exposition boundary, the lag / queue / alert gauges, and the /metrics endpoint over
// real HTTP on loopback.
import { describe, expect, it } from "vitest";
import { MetricsObserver, MetricsRegistry } from "../../src/core/metrics.js";
import { EmbeddedBroker } from "../../src/embedded/broker.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import { consumerGroupTopics } from "../../src/monitoring/consumer-groups.js";
import { embeddedLagSource } from "../../src/monitoring/embedded-sources.js";
import { filterMetricsText } from "../../src/monitoring/metrics-filter.js";
import { startMetricsServer } from "../../src/monitoring/metrics-server.js";
import { createMonitoring } from "../../src/monitoring/monitoring.js";
import { ManualClock } from "../../src/monitoring/clock.js";
import type { MonitoringConfig } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger } from "../helpers.js";

const seed: MonitoringConfig = seedTopology.monitoring;
const allOff: MonitoringConfig["metrics"] = {
  producer: { message_count: false, message_size: false, send_latency: false, error_rate: false, retry_count: false },
  consumer: { message_count: false, processing_latency: false, error_rate: false, lag: false, commit_latency: false },
  queue: { queue_size: false, queue_depth: false, message_age: false, consumer_count: false },
};

/** A registry fed with one event of every kind, with every switch on (as if recorded before switches applied). */
function busyRegistry(): MetricsRegistry {
  const registry = new MetricsRegistry();
  const observer = new MetricsObserver(registry, undefined);
  observer.onEvent({ kind: "published", topic: "t", eventType: "e", messageId: "1", bytes: 300, latencyMs: 2, traceId: "a", spanId: "b" });
  observer.onEvent({ kind: "publish_failed", topic: "t", eventType: "e", messageId: "2", error: "x", attempts: 3 });
  observer.onEvent({ kind: "consumed", topic: "t", eventType: "e", messageId: "1", handler: "H", latencyMs: 4, attempt: 1, traceId: "a", spanId: "b" });
  observer.onEvent({ kind: "retried", topic: "t", eventType: "e", messageId: "3", handler: "H", attempt: 1, delayMs: 1, error: "x" });
  observer.onEvent({ kind: "dead_lettered", topic: "t", eventType: "e", messageId: "3", handler: "H", category: "system_error", attempts: 3, error: "x", dlqTopic: "t.dlq" });
  return registry;
}

const families = (text: string): string[] => [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!).sort();

describe("filterMetricsText", () => {
  it("keeps everything the seed enables (all switches on)", () => {
    const text = busyRegistry().text();
    expect(filterMetricsText(text, seed.metrics)).toBe(text);
  });

  it("drops every switched-off family with its samples, keeps families no switch governs (dead letters)", () => {
    const filtered = filterMetricsText(busyRegistry().text(), allOff);
    expect(families(filtered)).toEqual(["hypc_messages_dead_lettered_total"]);
    expect(filtered).not.toMatch(/^hypc_(publish|processing|message_size|messages_published|messages_consumed|handler_errors|messages_retried)/m);
    expect(filtered).toContain('hypc_messages_dead_lettered_total{topic="t",category="system_error",handler="H"} 1');
  });

  it("drops one histogram family with its _bucket/_sum/_count lines", () => {
    const metrics = { ...seed.metrics, consumer: { ...seed.metrics.consumer, processing_latency: false } };
    const filtered = filterMetricsText(busyRegistry().text(), metrics);
    expect(filtered).not.toContain("hypc_processing_latency_seconds");
    expect(filtered).toContain("hypc_publish_latency_seconds_bucket");
    expect(filtered).toContain("hypc_messages_consumed_total");
  });
});

describe("MetricsRegistry histograms", () => {
  it("expose cumulative buckets (le), +Inf, sum and count", () => {
    const registry = new MetricsRegistry();
    const h = registry.histogramSeries("x_seconds", "X", { handler: "H" }, [0.01, 0.1, 1]);
    for (const v of [0.005, 0.01, 0.05, 0.5, 0.7, 3]) h.add(v);
    const lines = registry.text().split("\n").filter((l) => l.startsWith("x_seconds"));
    expect(lines).toEqual([
      'x_seconds_bucket{handler="H",le="0.01"} 2',
      'x_seconds_bucket{handler="H",le="0.1"} 3',
      'x_seconds_bucket{handler="H",le="1"} 5',
      'x_seconds_bucket{handler="H",le="+Inf"} 6',
      'x_seconds_sum{handler="H"} 4.265',
      'x_seconds_count{handler="H"} 6',
    ]);
  });
});

describe("monitoring gauges", () => {
  it("exposes consumer lag from the embedded broker per group of the seed, queue stats and active alerts", async () => {
    const broker = new EmbeddedBroker();
    const groupTopics = consumerGroupTopics(seedTopology);
    expect(groupTopics.get("script-event-processor")).toEqual(["hypnoscript.events.script-events", "hypnoscript.events.execution-events"]);
    const transport = new EmbeddedTransport({ broker });
    await transport.ensureTopics([{ name: "hypnoscript.events.script-events", partitions: 3 }]);
    // The group joins and leaves without acking (a consumer that is down): everything published after is lag.
    const sub = await transport.subscribe({ group: "script-event-processor", topics: ["hypnoscript.events.script-events"], concurrency: 1, startFrom: "earliest" }, async (m) => m.nack({ delayMs: 60_000 }));
    await sub.close();
    await transport.publish(Array.from({ length: 7 }, (_, i) => ({ topic: "hypnoscript.events.script-events", key: `k${i}`, body: Buffer.from("{}"), headers: {}, id: `m${i}` })));

    const clock = new ManualClock(0);
    const monitoring = createMonitoring({
      monitoring: { ...seed, alerting: { ...seed.alerting, consumer_lag: { ...seed.alerting.consumer_lag, threshold: 5 } } },
      logger: recordingLogger(),
      clock,
      lag: { source: embeddedLagSource(broker, groupTopics), groups: ["script-event-processor"] },
      queueStats: { stats: async () => [{ queue: "q1", depth: 3, consumers: 2 }, { queue: "q2", size: 9, oldestMessageAgeSeconds: 12.5 }] },
    });
    await monitoring.refresh();
    const text = monitoring.metricsText("");
    expect(text).toContain('hypc_consumer_lag{group="script-event-processor"} 7');
    expect(text).toContain('hypc_queue_depth{queue="q1"} 3');
    expect(text).toContain('hypc_queue_consumer_count{queue="q1"} 2');
    expect(text).toContain('hypc_queue_size{queue="q2"} 9');
    expect(text).toContain('hypc_queue_oldest_message_age_seconds{queue="q2"} 12.5');
    expect(text).toContain('hypc_alert_active{category="consumer_lag",severity="warning",group="script-event-processor"} 1');
    await transport.close();
    broker.shutdown();
  });

  it("honours the lag and queue switches and survives failing sources", async () => {
    const logger = recordingLogger();
    const monitoring = createMonitoring({
      monitoring: { ...seed, metrics: { ...seed.metrics, consumer: { ...seed.metrics.consumer, lag: false }, queue: { ...seed.metrics.queue, queue_depth: false } } },
      logger,
      lag: { source: async () => 1, groups: ["g"] },
      queueStats: { stats: async () => [{ queue: "q", depth: 3, consumers: 1 }] },
    });
    await monitoring.refresh();
    const text = monitoring.metricsText("");
    expect(text).not.toContain("hypc_consumer_lag");
    expect(text).not.toContain("hypc_queue_depth");
    expect(text).toContain('hypc_queue_consumer_count{queue="q"} 1');

    const failing = createMonitoring({ monitoring: seed, logger, queueStats: { stats: async () => Promise.reject(new Error("broker away")) }, lag: { source: async () => Promise.reject(new Error("no admin")), groups: ["g"] } });
    await failing.refresh();
    expect(failing.metricsText("x_total 1\n")).toBe("x_total 1\n");
    expect(logger.entries.map((e) => e.message)).toEqual(expect.arrayContaining(["cannot read queue statistics; /metrics keeps the last values", "cannot read the lag of consumer group g"]));
  });
});

describe("/metrics endpoint", () => {
  it("serves the exposition on 127.0.0.1 with the Prometheus content type; 404/405 otherwise", async () => {
    const registry = busyRegistry();
    const monitoring = createMonitoring({ monitoring: { ...seed, metrics: allOff }, logger: recordingLogger() });
    const server = await monitoring.serve(() => registry.text());
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const body = await res.text();
      expect(families(body)).toEqual(["hypc_messages_dead_lettered_total"]);
      expect((await fetch(server.url.replace("/metrics", "/other"))).status).toBe(404);
      expect((await fetch(server.url, { method: "POST" })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it("reads lag and queue sources per scrape, including sources supplied after start()", async () => {
    let lag = 3;
    const monitoring = createMonitoring({ monitoring: seed, logger: recordingLogger() });
    monitoring.start();
    monitoring.useSources({ lag: { source: async () => lag, groups: ["g"] }, queueStats: { stats: async () => [{ queue: "q", depth: lag }] } });
    const server = await monitoring.serve(() => "");
    try {
      expect(await (await fetch(server.url)).text()).toContain('hypc_consumer_lag{group="g"} 3');
      lag = 11;
      const body = await (await fetch(server.url)).text();
      expect(body).toContain('hypc_consumer_lag{group="g"} 11');
      expect(body).toContain('hypc_queue_depth{queue="q"} 11');
    } finally {
      await server.close();
      await monitoring.stop();
    }
  });

  it("answers 500 (and logs) when rendering fails, and keeps serving", async () => {
    const logger = recordingLogger();
    let fail = true;
    const server = await startMetricsServer({ render: () => (fail ? Promise.reject(new Error("boom")) : "ok_total 1\n"), logger });
    try {
      expect((await fetch(server.url)).status).toBe(500);
      fail = false;
      expect(await (await fetch(server.url)).text()).toBe("ok_total 1\n");
      expect(logger.entries).toContainEqual(expect.objectContaining({ level: "error", message: "rendering /metrics failed" }));
    } finally {
      await server.close();
    }
  });
});
