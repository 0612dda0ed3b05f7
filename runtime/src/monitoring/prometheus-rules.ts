// message_monitoring.alerting as Prometheus alerting rules over the runtime's metric names, for teams that
// alert from Prometheus instead of (or besides) the in-process evaluator. Same semantics as AlertEvaluator:
// error rate per handler / per publish topic over window_size with a minimum sample count, the latency
// percentile per handler over the same window, consumer lag per group with an escalation after escalation_time.
// A rule whose metrics message_monitoring.metrics switches off is left out, with a comment saying why.
import type { MonitoringConfig } from "../topology.js";
import { familyEnabled, MetricNames } from "./metric-names.js";

export interface AlertRulesOptions {
  /** Fewest attempts in the window before an error rate counts; default 20 (as AlertEvaluator). */
  readonly minSamples?: number;
  /** Rule group name; default "hypc-messaging". */
  readonly groupName?: string;
  /** Evaluation interval of the group, e.g. "30s"; default: Prometheus' global one. */
  readonly interval?: string;
}

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export function renderAlertRules(monitoring: MonitoringConfig, options: AlertRulesOptions = {}): string {
  const { alerting, metrics } = monitoring;
  const n = Math.max(1, options.minSamples ?? 20);
  const window = `${Math.max(1, alerting.error_rate.window_size)}s`;
  const rules: Rule[] = [];
  const skipped: string[] = [];
  const needs = (rule: string, ...families: string[]): boolean => {
    const off = families.filter((f) => !familyEnabled(f, metrics));
    if (off.length > 0) skipped.push(`${rule}: needs ${off.join(", ")} (switched off in message_monitoring.metrics)`);
    return off.length === 0;
  };
  const rate = alerting.error_rate;

  if (needs("HypcHandlerErrorRateHigh", MetricNames.handlerErrors, MetricNames.consumed)) {
    rules.push(errorRateRule("HypcHandlerErrorRateHigh", "handler", MetricNames.handlerErrors, MetricNames.consumed, window, n, rate, "handler {{ $labels.handler }}", "attempts"));
  }
  if (needs("HypcPublishErrorRateHigh", MetricNames.publishErrors, MetricNames.published)) {
    rules.push(errorRateRule("HypcPublishErrorRateHigh", "topic", MetricNames.publishErrors, MetricNames.published, window, n, rate, "publishing to {{ $labels.topic }}", "publishes"));
  }
  const latency = alerting.processing_latency;
  if (needs("HypcProcessingLatencyHigh", MetricNames.processingLatency)) {
    const q = Math.min(Math.max(latency.percentile, 0), 100) / 100;
    rules.push({
      alert: "HypcProcessingLatencyHigh",
      expr: `histogram_quantile(${q}, sum by (le, handler) (rate(${MetricNames.processingLatency}_bucket[${window}]))) > ${latency.threshold / 1000}`,
      labels: { severity: latency.alert_level, category: "processing_latency" },
      annotations: {
        summary: `p${latency.percentile} processing latency of handler {{ $labels.handler }} is above ${latency.threshold} ms`,
        description: `p${latency.percentile} over the last ${window} is {{ $value | humanizeDuration }} (threshold ${latency.threshold} ms; message_monitoring.alerting.processing_latency).`,
      },
    });
  }
  const lag = alerting.consumer_lag;
  if (needs("HypcConsumerLagHigh", MetricNames.consumerLag)) {
    const expr = `max by (group) (${MetricNames.consumerLag}) > ${lag.threshold}`;
    rules.push({
      alert: "HypcConsumerLagHigh",
      expr,
      labels: { severity: lag.alert_level, category: "consumer_lag" },
      annotations: { summary: `consumer group {{ $labels.group }} lags more than ${lag.threshold} messages`, description: "lag now {{ $value }} (message_monitoring.alerting.consumer_lag)." },
    });
    rules.push({
      alert: "HypcConsumerLagEscalated",
      expr,
      for: `${Math.max(0, lag.escalation_time)}s`,
      labels: { severity: "critical", category: "consumer_lag", escalated: "true" },
      annotations: {
        summary: `consumer group {{ $labels.group }} has lagged more than ${lag.threshold} messages for ${lag.escalation_time} s`,
        description: "escalation after consumer_lag.escalation_time; lag now {{ $value }}.",
      },
    });
  }
  return toYaml(options, rules, skipped);
}

function errorRateRule(
  alert: string,
  by: string,
  errorsFamily: string,
  okFamily: string,
  window: string,
  minSamples: number,
  rate: MonitoringConfig["alerting"]["error_rate"],
  what: string,
  unit: string,
): Rule {
  const errors = `sum by (${by}) (increase(${errorsFamily}[${window}]))`;
  // `or errors * 0`: a key with failures but no success yet still has a total (else the division has no result).
  const total = `(${errors} + (sum by (${by}) (increase(${okFamily}[${window}])) or ${errors} * 0))`;
  return {
    alert,
    expr: `(${errors} / ${total}) > ${rate.threshold} and ${total} >= ${minSamples}`,
    labels: { severity: rate.alert_level, category: "error_rate" },
    annotations: {
      summary: `error rate of ${what} is above ${(rate.threshold * 100).toFixed(1)}%`,
      description: `{{ $value | humanizePercentage }} of ${unit} failed over the last ${window} (at least ${minSamples} ${unit}; message_monitoring.alerting.error_rate).`,
    },
  };
}

function toYaml(options: AlertRulesOptions, rules: readonly Rule[], skipped: readonly string[]): string {
  const q = (s: string): string => JSON.stringify(s); // JSON strings are valid YAML double-quoted scalars
  const out = ["# Generated by hypc from message_monitoring.alerting. Do not edit: regenerate instead."];
  for (const s of skipped) out.push(`# Left out: ${s}`);
  out.push("groups:", `  - name: ${q(options.groupName ?? "hypc-messaging")}`);
  if (options.interval !== undefined) out.push(`    interval: ${q(options.interval)}`);
  out.push(rules.length === 0 ? "    rules: []" : "    rules:");
  for (const r of rules) {
    out.push(`      - alert: ${r.alert}`, `        expr: ${q(r.expr)}`);
    if (r.for !== undefined) out.push(`        for: ${r.for}`);
    out.push("        labels:", ...Object.entries(r.labels).map(([k, v]) => `          ${k}: ${q(v)}`));
    out.push("        annotations:", ...Object.entries(r.annotations).map(([k, v]) => `          ${k}: ${q(v)}`));
  }
  return out.join("\n") + "\n";
}
