// Gauges the core registry cannot know: consumer lag (LagSource), queue numbers (QueueStatsSource) and the
// alerts currently active. Read at scrape time; a source that fails is logged and its gauges left out of that
// scrape (a scrape never fails because a broker is slow to answer).
import type { Logger } from "../api.js";
import type { MonitoringConfig } from "../topology.js";
import type { ActiveAlert } from "./alert-book.js";
import { familyEnabled, MetricNames } from "./metric-names.js";
import type { LagSource, QueueStats, QueueStatsSource } from "./sources.js";

export interface MonitoringGaugesOptions {
  readonly metrics: MonitoringConfig["metrics"] | undefined;
  readonly logger: Logger;
  readonly lag?: { readonly source: LagSource; readonly groups: readonly string[] };
  readonly queueStats?: QueueStatsSource;
  readonly activeAlerts?: () => readonly ActiveAlert[];
}

export async function renderMonitoringGauges(o: MonitoringGaugesOptions): Promise<string> {
  const lines: string[] = [];
  const gauge = (name: string, help: string, samples: readonly (readonly [Record<string, string>, number])[]): void => {
    if (!familyEnabled(name, o.metrics) || samples.length === 0) return;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) lines.push(`${name}${formatLabels(labels)} ${value}`);
  };

  if (o.lag !== undefined && familyEnabled(MetricNames.consumerLag, o.metrics)) {
    const samples: [Record<string, string>, number][] = [];
    for (const group of o.lag.groups) {
      try {
        samples.push([{ group }, await o.lag.source(group)]);
      } catch (error) {
        o.logger.warn(`cannot read the lag of consumer group ${group} for /metrics`, { group, error: errorText(error) });
      }
    }
    gauge(MetricNames.consumerLag, "Messages a consumer group has not processed yet", samples);
  }

  if (o.queueStats !== undefined) {
    let stats: readonly QueueStats[] = [];
    try {
      stats = await o.queueStats.stats();
    } catch (error) {
      o.logger.warn("cannot read queue statistics for /metrics", { error: errorText(error) });
    }
    const pick = (field: keyof Omit<QueueStats, "queue">): [Record<string, string>, number][] =>
      stats.flatMap((s) => (s[field] === undefined ? [] : [[{ queue: s.queue }, s[field]] as [Record<string, string>, number]]));
    gauge(MetricNames.queueSize, "Messages held by a queue (waiting and unacknowledged)", pick("size"));
    gauge(MetricNames.queueDepth, "Messages waiting for delivery in a queue", pick("depth"));
    gauge(MetricNames.queueMessageAge, "Age of the oldest waiting message, seconds", pick("oldestMessageAgeSeconds"));
    gauge(MetricNames.queueConsumers, "Consumers attached to a queue", pick("consumers"));
  }

  if (o.activeAlerts !== undefined) {
    gauge(
      MetricNames.alertActive,
      "1 while a message_monitoring alert is firing",
      o.activeAlerts().map((a) => [{ category: a.category, severity: a.severity, ...a.labels }, 1] as const),
    );
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

function formatLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`).join(",")}}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
