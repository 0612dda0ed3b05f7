// message_monitoring in one object: the alert evaluator (an Instrumentation observer), the lag / queue / alert
// gauges and the metric switches applied to the exposition. createRuntime wires it (docs/monitoring.md).
import type { Logger } from "../api.js";
import type { MonitoringConfig } from "../topology.js";
import { AlertEvaluator } from "./alert-evaluator.js";
import type { AlertSink } from "./alert-book.js";
import type { Clock } from "./clock.js";
import { filterMetricsText } from "./metrics-filter.js";
import { startMetricsServer, type RunningServer } from "./metrics-server.js";
import { renderMonitoringGauges } from "./monitoring-metrics.js";
import type { LagSource, QueueStats, QueueStatsSource } from "./sources.js";

export interface LagWatch {
  readonly source: LagSource;
  readonly groups: readonly string[];
  /** Default 15,000 ms; queue statistics are read on the same interval. */
  readonly pollEveryMs?: number;
}

export interface MonitoringOptions {
  readonly monitoring: MonitoringConfig;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly minSamples?: number;
  readonly evaluateEveryMs?: number;
  readonly lag?: LagWatch;
  readonly queueStats?: QueueStatsSource;
}

export class Monitoring {
  readonly evaluator: AlertEvaluator;
  private queueStats: QueueStatsSource | undefined;
  private lastQueues: readonly QueueStats[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pollEveryMs: number;
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(private readonly o: MonitoringOptions) {
    this.queueStats = o.queueStats;
    this.pollEveryMs = o.lag?.pollEveryMs ?? 15_000;
    this.evaluator = new AlertEvaluator({
      alerting: o.monitoring.alerting,
      logger: o.logger,
      ...(o.clock === undefined ? {} : { clock: o.clock }),
      ...(o.minSamples === undefined ? {} : { minSamples: o.minSamples }),
      ...(o.evaluateEveryMs === undefined ? {} : { evaluateEveryMs: o.evaluateEveryMs }),
      ...(o.lag === undefined ? {} : { lag: o.lag }),
    });
  }

  /** Alerts become instrumentation events of this sink (the runtime's hub, so hypc_alerts_total counts them). */
  attach(sink: AlertSink): this {
    this.evaluator.attach(sink);
    return this;
  }

  /** Sources known only once transports exist (embedded broker, adapters). */
  useSources(sources: { readonly lag?: LagWatch; readonly queueStats?: QueueStatsSource; readonly close?: () => Promise<void> }): void {
    if (sources.close !== undefined) this.closers.push(sources.close);
    if (sources.lag !== undefined) {
      this.pollEveryMs = sources.lag.pollEveryMs ?? this.pollEveryMs;
      this.evaluator.useLagSource(sources.lag);
    }
    if (sources.queueStats !== undefined) this.queueStats = sources.queueStats;
  }

  /** Evaluates alerts and polls lag / queue statistics on timers (unref'd). */
  start(): void {
    this.evaluator.start();
    this.timer ??= setInterval(() => void this.refreshQueues(), this.pollEveryMs).unref();
    void this.refreshQueues();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.evaluator.stop();
    await Promise.allSettled(this.closers.splice(0).map((close) => close()));
  }

  /** Reads lag and queue statistics now (before a scrape; tests). */
  async refresh(): Promise<void> {
    await Promise.all([this.evaluator.pollLag(), this.refreshQueues()]);
  }

  /** The registry's exposition with the metric switches applied, plus lag, queue and active-alert gauges. */
  metricsText(registryText: string): string {
    const gauges = renderMonitoringGauges(this.o.monitoring.metrics, { lag: this.evaluator.lagSnapshot(), queues: this.lastQueues, alerts: this.evaluator.activeAlerts() });
    return filterMetricsText(registryText, this.o.monitoring.metrics) + gauges;
  }

  /** Serves metricsText(registryText()) on http://127.0.0.1:<port>/metrics, reading the sources per scrape. */
  serve(registryText: () => string, options: { readonly host?: string; readonly port?: number; readonly path?: string } = {}): Promise<RunningServer> {
    return startMetricsServer({
      ...options,
      logger: this.o.logger,
      render: async () => {
        await this.refresh();
        return this.metricsText(registryText());
      },
    });
  }

  private async refreshQueues(): Promise<void> {
    if (this.queueStats === undefined) return;
    try {
      this.lastQueues = await this.queueStats.stats();
    } catch (error) {
      this.o.logger.warn("cannot read queue statistics; /metrics keeps the last values", { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

export function createMonitoring(options: MonitoringOptions): Monitoring {
  return new Monitoring(options);
}
