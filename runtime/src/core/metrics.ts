// A small in-memory metrics registry (counters and histograms with labels) with Prometheus text output, and the
// instrumentation observer that feeds it. Metric families follow message_monitoring.metrics.
import type { Instrumentation, InstrumentationEvent } from "../api.js";
import type { MonitoringConfig } from "../topology.js";
import { consumedRecorder, type ConsumedRecorder, type RecordConsumed } from "./instrumentation.js";

type Labels = Readonly<Record<string, string>>;

const DEFAULT_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60];
const SIZE_BUCKETS = [256, 1024, 4096, 16384, 65536, 262144, 1048576];

export interface CounterSeries {
  value: number;
}
export interface HistogramSeries {
  add(value: number): void;
}

interface Family {
  readonly type: "counter" | "histogram";
  readonly help: string;
  /** Histograms: `buckets[i]` counts the values in (bounds[i-1], bounds[i]] (made cumulative for the text output). */
  readonly series: Map<string, { labels: Labels; value: number; buckets?: number[]; sum?: number; count?: number }>;
}

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  counter(name: string, help: string, labels: Labels = {}, by = 1): void {
    const series = this.series(name, "counter", help, labels);
    series.value += by;
  }

  /** Observes a value (seconds, bytes) into a histogram. */
  observe(name: string, help: string, labels: Labels, value: number, buckets: readonly number[] = DEFAULT_BUCKETS): void {
    this.histogramSeries(name, help, labels, buckets).add(value);
  }

  /** A counter series to increment directly (`series.value++`) on hot paths. */
  counterSeries(name: string, help: string, labels: Labels): CounterSeries {
    return this.series(name, "counter", help, labels);
  }

  /** A histogram series to add to directly on hot paths. */
  histogramSeries(name: string, help: string, labels: Labels, buckets: readonly number[] = DEFAULT_BUCKETS): HistogramSeries {
    const series = this.series(name, "histogram", help, labels);
    const counts = (series.buckets ??= buckets.map(() => 0));
    series.sum ??= 0;
    series.count ??= 0;
    (series as { bounds?: readonly number[] }).bounds = buckets;
    // One bucket per value, not every bucket above it: latencies are mostly in the first buckets.
    return {
      add: (value: number) => {
        let i = 0;
        while (i < buckets.length && !(value <= buckets[i]!)) i++;
        if (i < buckets.length) counts[i]!++;
        series.sum! += value;
        series.count!++;
      },
    };
  }

  /** Current value of a counter series (tests, dashboards). */
  value(name: string, labels: Labels = {}): number {
    return this.families.get(name)?.series.get(labelKey(labels))?.value ?? 0;
  }

  /** Prometheus text exposition format 0.0.4. */
  text(): string {
    const lines: string[] = [];
    for (const [name, family] of [...this.families].sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      for (const s of family.series.values()) {
        if (family.type === "counter") {
          lines.push(`${name}${formatLabels(s.labels)} ${s.value}`);
          continue;
        }
        const bounds = (s as { bounds?: readonly number[] }).bounds ?? DEFAULT_BUCKETS;
        let cumulative = 0;
        bounds.forEach((bound, i) => {
          cumulative += s.buckets?.[i] ?? 0;
          lines.push(`${name}_bucket${formatLabels({ ...s.labels, le: String(bound) })} ${cumulative}`);
        });
        lines.push(`${name}_bucket${formatLabels({ ...s.labels, le: "+Inf" })} ${s.count ?? 0}`);
        lines.push(`${name}_sum${formatLabels(s.labels)} ${s.sum ?? 0}`);
        lines.push(`${name}_count${formatLabels(s.labels)} ${s.count ?? 0}`);
      }
    }
    return lines.join("\n") + "\n";
  }

  private series(name: string, type: Family["type"], help: string, labels: Labels) {
    let family = this.families.get(name);
    if (family === undefined) {
      family = { type, help, series: new Map() };
      this.families.set(name, family);
    }
    const key = labelKey(labels);
    let series = family.series.get(key);
    if (series === undefined) {
      series = { labels, value: 0 };
      family.series.set(key, series);
    }
    return series;
  }
}

/** Series key. Call sites pass labels in a fixed order, so no sorting (this runs for every message). */
function labelKey(labels: Labels): string {
  let key = "";
  for (const k in labels) key += k + "\u0001" + labels[k] + "\u0002";
  return key;
}

function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`).join(",")}}`;
}

/** Records instrumentation events as metrics, honouring the message_monitoring.metrics switches. */
export class MetricsObserver implements Instrumentation, ConsumedRecorder {
  /** Hot-path caches: the series of a topic + event type (published) or handler + topic + event type (consumed)
   *  resolved once. Nested maps instead of a concatenated key: no string building per message. */
  private readonly published = new Map<string, Map<string, (bytes: number, latencyMs: number) => void>>();
  private readonly consumedSeries = new Map<string, Map<string, Map<string, (latencyMs: number) => void>>>();

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly config: MonitoringConfig["metrics"] | undefined,
  ) {}

  onEvent(e: InstrumentationEvent): void {
    if (e.kind === "published") {
      let byType = this.published.get(e.topic);
      if (byType === undefined) this.published.set(e.topic, (byType = new Map()));
      let record = byType.get(e.eventType);
      if (record === undefined) byType.set(e.eventType, (record = this.publishedRecorder(e.topic, e.eventType)));
      record(e.bytes, e.latencyMs);
      return;
    }
    if (e.kind === "consumed") {
      this.consumedSeriesOf(e.handler, e.topic, e.eventType)(e.latencyMs);
      return;
    }
    this.record(e);
  }

  [consumedRecorder](handler: string): RecordConsumed {
    // A slot's messages mostly share one topic and event type: their series are looked up again only on a change.
    let lastTopic: string | undefined;
    let lastType: string | undefined;
    let record: (latencyMs: number) => void = () => undefined;
    return (topic, eventType, latencyMs) => {
      if (topic !== lastTopic || eventType !== lastType) {
        record = this.consumedSeriesOf(handler, topic, eventType);
        lastTopic = topic;
        lastType = eventType;
      }
      record(latencyMs);
    };
  }

  private consumedSeriesOf(handler: string, topic: string, eventType: string): (latencyMs: number) => void {
    let byTopic = this.consumedSeries.get(handler);
    if (byTopic === undefined) this.consumedSeries.set(handler, (byTopic = new Map()));
    let byType = byTopic.get(topic);
    if (byType === undefined) byTopic.set(topic, (byType = new Map()));
    let record = byType.get(eventType);
    if (record === undefined) byType.set(eventType, (record = this.consumedRecorderOf(handler, topic, eventType)));
    return record;
  }

  /** Resolves the series of a published event once; the returned function only does arithmetic. */
  private publishedRecorder(topic: string, eventType: string): (bytes: number, latencyMs: number) => void {
    const r = this.registry;
    const producer = this.config?.producer;
    const count = producer?.message_count !== false ? r.counterSeries("hypc_messages_published_total", "Messages published", { topic, event_type: eventType }) : undefined;
    const size = producer?.message_size !== false ? r.histogramSeries("hypc_message_size_bytes", "Size of published message bodies", { topic }, SIZE_BUCKETS) : undefined;
    const latency = producer?.send_latency !== false ? r.histogramSeries("hypc_publish_latency_seconds", "Time until the broker accepted a publish", { topic }) : undefined;
    return (bytes, latencyMs) => {
      if (count !== undefined) count.value++;
      size?.add(bytes);
      latency?.add(latencyMs / 1000);
    };
  }

  /** Resolves the series of a consumed event once; the returned function only does arithmetic. */
  private consumedRecorderOf(handler: string, topic: string, eventType: string): (latencyMs: number) => void {
    const r = this.registry;
    const consumer = this.config?.consumer;
    const count = consumer?.message_count !== false ? r.counterSeries("hypc_messages_consumed_total", "Messages handled successfully", { topic, event_type: eventType, handler }) : undefined;
    const latency = consumer?.processing_latency !== false ? r.histogramSeries("hypc_processing_latency_seconds", "Handler processing time", { handler }) : undefined;
    return (latencyMs) => {
      if (count !== undefined) count.value++;
      latency?.add(latencyMs / 1000);
    };
  }

  /** The rare events (published and consumed have their cached series above). */
  private record(e: InstrumentationEvent): void {
    const producer = this.config?.producer;
    const consumer = this.config?.consumer;
    const r = this.registry;
    switch (e.kind) {
      case "publish_retried":
        if (producer?.retry_count !== false) r.counter("hypc_publish_retries_total", "Publishes retried after a retriable broker error", { topic: e.topic, event_type: e.eventType });
        break;
      case "publish_failed":
        if (producer?.error_rate !== false) r.counter("hypc_publish_errors_total", "Publishes that failed after retries", { topic: e.topic, event_type: e.eventType });
        break;
      case "retried":
        if (producer?.retry_count !== false) r.counter("hypc_messages_retried_total", "Handler failures scheduled for retry", { topic: e.topic, handler: e.handler });
        if (consumer?.error_rate !== false) r.counter("hypc_handler_errors_total", "Handler failures", { handler: e.handler });
        break;
      case "dead_lettered":
        r.counter("hypc_messages_dead_lettered_total", "Messages moved to a dead-letter topic", { topic: e.topic, category: e.category, handler: e.handler });
        if (consumer?.error_rate !== false) r.counter("hypc_handler_errors_total", "Handler failures", { handler: e.handler });
        break;
      case "duplicate":
        r.counter("hypc_messages_duplicate_total", "Duplicates suppressed by idempotency", { topic: e.topic, handler: e.handler });
        break;
      case "alert":
        r.counter("hypc_alerts_total", "Alerts raised by error categories", { severity: e.severity, category: e.category });
        break;
      case "escalated":
        r.counter("hypc_escalations_total", "Errors escalated", { category: e.category });
        break;
      case "request":
        r.counter("hypc_requests_total", "Request-reply calls", { exchange: e.exchange, outcome: e.outcome });
        r.observe("hypc_request_latency_seconds", "Request-reply round trip", { exchange: e.exchange }, e.latencyMs / 1000);
        break;
    }
  }
}
