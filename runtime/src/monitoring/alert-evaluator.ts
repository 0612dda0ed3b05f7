// message_monitoring.alerting at run time. An Instrumentation observer that records every handler attempt and
// publish in sliding windows, and an evaluator that turns them into alerts:
//  - error_rate: failed / all attempts per handler (and failed / all publishes per topic) over window_size
//    seconds, above `threshold` (0..1) with at least `minSamples` attempts in the window;
//  - processing_latency: the `percentile` of handler latency over the same window above `threshold` ms;
//  - consumer_lag: a group's lag (from a LagSource, polled) above `threshold`: alert at alert_level, and an
//    escalation once it has stayed above for escalation_time seconds.
// onEvent only records (cheap, synchronous, on the hot path); evaluation runs on a timer, or when called.
import type { Instrumentation, InstrumentationEvent, Logger } from "../api.js";
import { consumedRecorder, type ConsumedRecorder, type RecordConsumed } from "../core/instrumentation.js";
import type { MonitoringConfig } from "../topology.js";
import { AlertBook, type ActiveAlert, type AlertSink } from "./alert-book.js";
import { systemClock, type Clock } from "./clock.js";
import type { LagSource } from "./sources.js";
import { SlidingWindow } from "./sliding-window.js";

export type AlertingConfig = MonitoringConfig["alerting"];

export interface AlertEvaluatorOptions {
  readonly alerting: AlertingConfig;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Fewest attempts in the window before an error rate counts (one failed message is not "100%"). Default 20. */
  readonly minSamples?: number;
  /** How often start() evaluates error rate and latency. Default 5,000 ms. */
  readonly evaluateEveryMs?: number;
  /** Consumer lag: where to read it and which groups to watch. */
  readonly lag?: { readonly source: LagSource; readonly groups: readonly string[]; readonly pollEveryMs?: number };
  /** Ring resolution of the sliding windows. Default 30 slots per window. */
  readonly slots?: number;
}

const DEFAULT_MIN_SAMPLES = 20;

export class AlertEvaluator implements Instrumentation, ConsumedRecorder {
  readonly alerts: AlertBook;
  private readonly clock: Clock;
  private readonly minSamples: number;
  private readonly windowMs: number;
  private readonly handlers = new Map<string, SlidingWindow>();
  private readonly publishes = new Map<string, SlidingWindow>();
  private readonly lagBreachSince = new Map<string, number>();
  private readonly lastLag = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];
  private polling: Promise<void> | undefined;
  private lag: AlertEvaluatorOptions["lag"];

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.alerts = new AlertBook(options.logger);
    this.clock = options.clock ?? systemClock;
    this.minSamples = Math.max(1, options.minSamples ?? DEFAULT_MIN_SAMPLES);
    this.windowMs = Math.max(1, options.alerting.error_rate.window_size) * 1000;
    this.lag = options.lag;
  }

  /** Sets the lag source once it exists (transports are created at start); takes effect from the next poll. */
  useLagSource(lag: NonNullable<AlertEvaluatorOptions["lag"]>): void {
    const wasPolling = this.timers.length > 0 && this.lag === undefined;
    this.lag = lag;
    if (wasPolling) this.startLagPolling();
  }

  /** Alerts and escalations become instrumentation events here (the runtime's hub). */
  attach(sink: AlertSink): this {
    this.alerts.attach(sink);
    return this;
  }

  onEvent(e: InstrumentationEvent): void {
    switch (e.kind) {
      case "consumed":
        this.window(this.handlers, e.handler).record(this.clock.now(), false, e.latencyMs);
        break;
      case "retried":
      case "dead_lettered":
        this.window(this.handlers, e.handler).record(this.clock.now(), true);
        break;
      case "published":
        this.window(this.publishes, e.topic).record(this.clock.now(), false);
        break;
      case "publish_failed":
        this.window(this.publishes, e.topic).record(this.clock.now(), true);
        break;
      default:
        // alert / escalated (possibly our own, re-entering through the hub), duplicate, request: not inputs.
        break;
    }
  }

  /** Successful attempts of `handler`, without event objects (the hub's hot path); its window is kept for good. */
  [consumedRecorder](handler: string): RecordConsumed {
    const window = this.window(this.handlers, handler);
    return (_topic, _eventType, latencyMs) => window.record(this.clock.now(), false, latencyMs);
  }

  /** Evaluates error rate and latency now. */
  evaluate(): void {
    const now = this.clock.now();
    for (const [handler, window] of this.handlers) {
      this.evaluateErrorRate(`error_rate:handler:${handler}`, `handler ${handler}`, "attempts", { handler }, window, now);
      this.evaluateLatency(handler, window, now);
    }
    for (const [topic, window] of this.publishes) this.evaluateErrorRate(`error_rate:publish:${topic}`, `publishing to ${topic}`, "publishes", { topic }, window, now);
  }

  /** Reads every watched group's lag once and updates lag alerts. A source failure is logged, state kept. */
  async pollLag(): Promise<void> {
    const lag = this.lag;
    if (lag === undefined) return;
    const { threshold, alert_level: severity, escalation_time } = this.options.alerting.consumer_lag;
    for (const group of lag.groups) {
      let value: number;
      try {
        value = await lag.source(group);
      } catch (error) {
        this.options.logger.warn(`cannot read the lag of consumer group ${group}`, { group, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      const now = this.clock.now();
      this.lastLag.set(group, value);
      const key = `consumer_lag:${group}`;
      if (value <= threshold) {
        this.lagBreachSince.delete(key);
        this.alerts.clear(key, `consumer group ${group} lag is ${value}, at or below ${threshold}`);
        continue;
      }
      const since = this.lagBreachSince.get(key) ?? now;
      this.lagBreachSince.set(key, since);
      this.alerts.breach(key, { category: "consumer_lag", severity, message: `consumer group ${group} lags ${value} messages behind (threshold ${threshold})`, labels: { group } }, now);
      const seconds = (now - since) / 1000;
      if (seconds >= escalation_time) {
        this.alerts.escalate(key, `consumer group ${group} has lagged more than ${threshold} messages for ${Math.round(seconds)} s (escalation_time ${escalation_time} s); lag now ${value}`);
      }
    }
  }

  /** Last lag read per group (for the consumer lag gauge). */
  lagSnapshot(): ReadonlyMap<string, number> {
    return this.lastLag;
  }

  activeAlerts(): readonly ActiveAlert[] {
    return this.alerts.list();
  }

  /** Evaluates on timers (unref'd: they never keep the process alive). */
  start(): void {
    if (this.timers.length > 0) return;
    this.timers.push(setInterval(() => this.evaluate(), this.options.evaluateEveryMs ?? 5_000).unref());
    if (this.lag !== undefined) this.startLagPolling();
  }

  private startLagPolling(): void {
    const poll = (): void => {
      if (this.polling !== undefined) return; // a slow source: skip a round rather than pile up
      this.polling = this.pollLag().finally(() => (this.polling = undefined));
    };
    poll();
    this.timers.push(setInterval(poll, this.lag?.pollEveryMs ?? 15_000).unref());
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.polling;
  }

  private evaluateErrorRate(key: string, what: string, unit: string, labels: Record<string, string>, window: SlidingWindow, now: number): void {
    const { threshold, alert_level: severity, window_size } = this.options.alerting.error_rate;
    const { attempts, failures } = window.summary(now);
    const rate = attempts === 0 ? 0 : failures / attempts;
    const described = `error rate of ${what} is ${percent(rate)} over the last ${window_size} s (${failures} of ${attempts} ${unit} failed)`;
    if (attempts >= this.minSamples && rate > threshold) {
      this.alerts.breach(key, { category: "error_rate", severity, message: `${described}, above ${percent(threshold)}`, labels }, now);
    } else {
      this.alerts.clear(key, attempts < this.minSamples ? `${described}: fewer than ${this.minSamples} ${unit} in the window` : described);
    }
  }

  private evaluateLatency(handler: string, window: SlidingWindow, now: number): void {
    const { threshold, alert_level: severity, percentile } = this.options.alerting.processing_latency;
    const key = `processing_latency:handler:${handler}`;
    const value = window.latencyPercentile(now, percentile);
    if (value !== undefined && value > threshold) {
      const message = `p${percentile} processing latency of handler ${handler} is ${Math.round(value)} ms over the last ${this.options.alerting.error_rate.window_size} s, above ${threshold} ms`;
      this.alerts.breach(key, { category: "processing_latency", severity, message, labels: { handler } }, now);
    } else {
      this.alerts.clear(key, `p${percentile} processing latency of handler ${handler} is ${value === undefined ? "unknown (no samples)" : `${Math.round(value)} ms`}`);
    }
  }

  private window(map: Map<string, SlidingWindow>, key: string): SlidingWindow {
    let window = map.get(key);
    if (window === undefined) map.set(key, (window = new SlidingWindow(this.windowMs, this.options.slots)));
    return window;
  }
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}
