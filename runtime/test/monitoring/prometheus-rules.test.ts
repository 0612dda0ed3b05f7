// renderAlertRules: the seed's alerting as Prometheus rules, checked by promtool (syntax) and by promtool's
// rule unit tests (behaviour on synthetic series). Skips with a reason when promtool is not installed
// (Debian package `prometheus`); HYPC_REQUIRE_BROKERS=1 makes that a failure, like a missing broker.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { renderAlertRules } from "../../src/monitoring/prometheus-rules.js";
import type { MonitoringConfig } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { requireOrSkip } from "../support/brokers.js";

const run = promisify(execFile);
const seed: MonitoringConfig = seedTopology.monitoring;

async function promtoolAvailable(): Promise<boolean> {
  try {
    await run("promtool", ["--version"]);
    return true;
  } catch {
    return false;
  }
}
const skip = requireOrSkip(await promtoolAvailable(), "promtool not installed (apt-get install --no-install-recommends prometheus)");

const dir = mkdtempSync(join(tmpdir(), "hypc-rules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function promtool(...args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run("promtool", args, { cwd: dir });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

// Synthetic series, one sample per minute: errors/successes per handler, latency buckets, lag per group.
const unitTests = `
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - {series: 'hypc_handler_errors_total{handler="Bad"}', values: '0+2x10'}
      - {series: 'hypc_messages_consumed_total{handler="Bad",topic="t",event_type="e"}', values: '0+10x10'}
      - {series: 'hypc_handler_errors_total{handler="Good"}', values: '0+0x10'}
      - {series: 'hypc_messages_consumed_total{handler="Good",topic="t",event_type="e"}', values: '0+20x10'}
      - {series: 'hypc_handler_errors_total{handler="Rare"}', values: '0+1x10'}
      - {series: 'hypc_handler_errors_total{handler="OnlyFail"}', values: '0+5x10'}
      - {series: 'hypc_processing_latency_seconds_bucket{handler="Slow",le="10"}', values: '0+0x10'}
      - {series: 'hypc_processing_latency_seconds_bucket{handler="Slow",le="30"}', values: '0+1x10'}
      - {series: 'hypc_processing_latency_seconds_bucket{handler="Slow",le="60"}', values: '0+10x10'}
      - {series: 'hypc_processing_latency_seconds_bucket{handler="Slow",le="+Inf"}', values: '0+10x10'}
      - {series: 'hypc_processing_latency_seconds_bucket{handler="Fast",le="10"}', values: '0+10x10'}
      - {series: 'hypc_processing_latency_seconds_bucket{handler="Fast",le="30"}', values: '0+10x10'}
      - {series: 'hypc_processing_latency_seconds_bucket{handler="Fast",le="60"}', values: '0+10x10'}
      - {series: 'hypc_processing_latency_seconds_bucket{handler="Fast",le="+Inf"}', values: '0+10x10'}
      - {series: 'hypc_consumer_lag{group="g1"}', values: '5000x10'}
      - {series: 'hypc_consumer_lag{group="g2"}', values: '10x10'}
    alert_rule_test:
      - eval_time: 10m
        alertname: HypcHandlerErrorRateHigh
        exp_alerts:
          - exp_labels: {severity: critical, category: error_rate, handler: Bad}
            exp_annotations:
              summary: "error rate of handler Bad is above 5.0%"
              description: "16.67% of attempts failed over the last 300s (at least 20 attempts; message_monitoring.alerting.error_rate)."
          - exp_labels: {severity: critical, category: error_rate, handler: OnlyFail}
            exp_annotations:
              summary: "error rate of handler OnlyFail is above 5.0%"
              description: "100% of attempts failed over the last 300s (at least 20 attempts; message_monitoring.alerting.error_rate)."
      - eval_time: 10m
        alertname: HypcProcessingLatencyHigh
        exp_alerts:
          - exp_labels: {severity: warning, category: processing_latency, handler: Slow}
            exp_annotations:
              summary: "p95 processing latency of handler Slow is above 30000 ms"
              description: "p95 over the last 300s is 58.33s (threshold 30000 ms; message_monitoring.alerting.processing_latency)."
      - eval_time: 1m
        alertname: HypcConsumerLagHigh
        exp_alerts:
          - exp_labels: {severity: warning, category: consumer_lag, group: g1}
            exp_annotations:
              summary: "consumer group g1 lags more than 1000 messages"
              description: "lag now 5000 (message_monitoring.alerting.consumer_lag)."
      - eval_time: 4m
        alertname: HypcConsumerLagEscalated
        exp_alerts: []
      - eval_time: 6m
        alertname: HypcConsumerLagEscalated
        exp_alerts:
          - exp_labels: {severity: critical, category: consumer_lag, escalated: "true", group: g1}
            exp_annotations:
              summary: "consumer group g1 has lagged more than 1000 messages for 300 s"
              description: "escalation after consumer_lag.escalation_time; lag now 5000."
`;

describe.skipIf(skip)("renderAlertRules with promtool", () => {
  it("passes promtool check rules for the seed", async () => {
    writeFileSync(join(dir, "rules.yml"), renderAlertRules(seed));
    const result = await promtool("check", "rules", "rules.yml");
    expect(result.output).toContain("SUCCESS: 5 rules found");
    expect(result.ok).toBe(true);
  });

  it("behaves like the alerting config on synthetic series (promtool test rules)", async () => {
    writeFileSync(join(dir, "rules.yml"), renderAlertRules(seed));
    writeFileSync(join(dir, "test.yml"), unitTests);
    const result = await promtool("test", "rules", "test.yml");
    expect(result.output).toContain("SUCCESS");
    expect(result.ok, result.output).toBe(true);
  });

  it("the same unit tests fail when the rules do not follow the config (the check has teeth)", async () => {
    const looser: MonitoringConfig = { ...seed, alerting: { ...seed.alerting, error_rate: { ...seed.alerting.error_rate, threshold: 0.2 } } };
    writeFileSync(join(dir, "rules.yml"), renderAlertRules(looser));
    writeFileSync(join(dir, "test.yml"), unitTests);
    const result = await promtool("test", "rules", "test.yml");
    expect(result.ok).toBe(false);
    expect(result.output).toContain("HypcHandlerErrorRateHigh");
  });
});

describe("renderAlertRules output", () => {
  it("leaves out rules whose metrics are switched off, saying why", () => {
    const metrics = { ...seed.metrics, consumer: { ...seed.metrics.consumer, lag: false, processing_latency: false } };
    const yaml = renderAlertRules({ ...seed, metrics });
    expect(yaml).not.toContain("HypcConsumerLagHigh\n");
    expect(yaml).not.toContain("alert: HypcProcessingLatencyHigh");
    expect(yaml).toContain("# Left out: HypcConsumerLagHigh: needs hypc_consumer_lag (switched off in message_monitoring.metrics)");
    expect(yaml).toContain("# Left out: HypcProcessingLatencyHigh: needs hypc_processing_latency_seconds");
    expect(yaml).toContain("alert: HypcHandlerErrorRateHigh");
  });

  it("uses the config's numbers and units (threshold ms to seconds, window seconds, minimum samples)", () => {
    const yaml = renderAlertRules(
      { ...seed, alerting: { consumer_lag: { threshold: 7, alert_level: "info", escalation_time: 42 }, error_rate: { threshold: 0.25, alert_level: "warning", window_size: 60 }, processing_latency: { threshold: 1500, alert_level: "critical", percentile: 99 } } },
      { minSamples: 3, groupName: "g", interval: "15s" },
    );
    expect(yaml).toContain("increase(hypc_handler_errors_total[60s])");
    expect(yaml).toContain(") > 0.25 and");
    expect(yaml).toContain(">= 3");
    expect(yaml).toContain("histogram_quantile(0.99,");
    expect(yaml).toContain("[60s]))) > 1.5");
    expect(yaml).toContain("max by (group) (hypc_consumer_lag) > 7");
    expect(yaml).toContain("for: 42s");
    expect(yaml).toContain('interval: "15s"');
    expect(yaml).toContain('severity: "info"');
  });
});
