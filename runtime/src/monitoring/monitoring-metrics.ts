// Gauges the core registry cannot know: consumer lag (LagSource), queue numbers (QueueStatsSource) and the
// alerts currently active. Rendered synchronously from the last values read (MessagingRuntime.metricsText() is
// synchronous); Monitoring.refresh() reads the sources, on a timer and before every scrape of its endpoint.
import type { MonitoringConfig } from "../topology.js";
import type { ActiveAlert } from "./alert-book.js";
import { familyEnabled, MetricNames } from "./metric-names.js";
import type { QueueStats } from "./sources.js";

export interface GaugeSnapshot {
  readonly lag: ReadonlyMap<string, number>;
  readonly queues: readonly QueueStats[];
  readonly alerts: readonly ActiveAlert[];
}

type Sample = readonly [Readonly<Record<string, string>>, number];

export function renderMonitoringGauges(metrics: MonitoringConfig["metrics"] | undefined, snapshot: GaugeSnapshot): string {
  const lines: string[] = [];
  const gauge = (name: string, help: string, samples: readonly Sample[]): void => {
    if (!familyEnabled(name, metrics) || samples.length === 0) return;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) lines.push(`${name}${formatLabels(labels)} ${value}`);
  };
  gauge(MetricNames.consumerLag, "Messages a consumer group has not processed yet", [...snapshot.lag].map(([group, lag]) => [{ group }, lag] as const));
  const pick = (field: keyof Omit<QueueStats, "queue">): Sample[] => snapshot.queues.flatMap((s) => (s[field] === undefined ? [] : [[{ queue: s.queue }, s[field]] as const]));
  gauge(MetricNames.queueSize, "Messages held by a queue (waiting and unacknowledged)", pick("size"));
  gauge(MetricNames.queueDepth, "Messages waiting for delivery in a queue", pick("depth"));
  gauge(MetricNames.queueMessageAge, "Age of the oldest waiting message, seconds", pick("oldestMessageAgeSeconds"));
  gauge(MetricNames.queueConsumers, "Consumers attached to a queue", pick("consumers"));
  gauge(
    MetricNames.alertActive,
    "1 while a message_monitoring alert is firing",
    snapshot.alerts.map((a) => [{ category: a.category, severity: a.severity, ...a.labels }, 1] as const),
  );
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`).join(",")}}`;
}
