// message_monitoring in one object: the alert evaluator (an Instrumentation observer), the extra gauges and the
// metric switches applied to the exposition. createRuntime wires it (docs/monitoring.md shows the lines).
import type { Logger } from "../api.js";
import type { MonitoringConfig } from "../topology.js";
import { AlertEvaluator } from "./alert-evaluator.js";
import type { AlertSink } from "./alert-book.js";
import type { Clock } from "./clock.js";
import { filterMetricsText } from "./metrics-filter.js";
import { startMetricsServer, type RunningServer } from "./metrics-server.js";
import { renderMonitoringGauges } from "./monitoring-metrics.js";
import type { LagSource, QueueStatsSource } from "./sources.js";

export interface MonitoringOptions {
  readonly monitoring: MonitoringConfig;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly minSamples?: number;
  readonly evaluateEveryMs?: number;
  readonly lag?: { readonly source: LagSource; readonly groups: readonly string[]; readonly pollEveryMs?: number };
  readonly queueStats?: QueueStatsSource;
}

export class Monitoring {
  readonly evaluator: AlertEvaluator;

  constructor(private readonly o: MonitoringOptions) {
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

  start(): void {
    this.evaluator.start();
  }

  stop(): Promise<void> {
    return this.evaluator.stop();
  }

  /** The registry's exposition with the metric switches applied, plus lag, queue and active-alert gauges. */
  async metricsText(registryText: string): Promise<string> {
    const gauges = await renderMonitoringGauges({
      metrics: this.o.monitoring.metrics,
      logger: this.o.logger,
      ...(this.o.lag === undefined ? {} : { lag: this.o.lag }),
      ...(this.o.queueStats === undefined ? {} : { queueStats: this.o.queueStats }),
      activeAlerts: () => this.evaluator.activeAlerts(),
    });
    return filterMetricsText(registryText, this.o.monitoring.metrics) + gauges;
  }

  /** Serves metricsText(registryText()) on http://127.0.0.1:<port>/metrics. */
  serve(registryText: () => string, options: { readonly host?: string; readonly port?: number; readonly path?: string } = {}): Promise<RunningServer> {
    return startMetricsServer({ ...options, logger: this.o.logger, render: () => this.metricsText(registryText()) });
  }
}

export function createMonitoring(options: MonitoringOptions): Monitoring {
  return new Monitoring(options);
}
