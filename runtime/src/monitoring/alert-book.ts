// The state of alerts: one entry per breached key. An alert fires once when its key starts breaching and
// resolves once when it stops: evaluating every few seconds never repeats an alert that is still active
// (no alert storms). Firing goes to the sink as a `{kind:"alert"}` instrumentation event and to the log.
import type { InstrumentationEvent, Logger } from "../api.js";
import type { AlertLevel } from "../topology.js";

export type AlertCategory = "error_rate" | "processing_latency" | "consumer_lag";

export interface ActiveAlert {
  /** Stable identity, e.g. `error_rate:handler:ScriptCreatedHandler`. */
  readonly key: string;
  readonly category: AlertCategory;
  readonly severity: AlertLevel;
  readonly message: string;
  readonly since: number;
  readonly labels: Readonly<Record<string, string>>;
  escalated: boolean;
}

export interface AlertFiring {
  readonly category: AlertCategory;
  readonly severity: AlertLevel;
  readonly message: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type AlertSink = (event: InstrumentationEvent) => void;

export class AlertBook {
  private readonly active = new Map<string, ActiveAlert>();
  /** Events produced while an emission is in progress wait here, so a sink that calls back cannot recurse. */
  private readonly pending: InstrumentationEvent[] = [];
  private emitting = false;
  private sink: AlertSink | undefined;

  constructor(private readonly logger: Logger) {}

  /** Where alert/escalated events go (the runtime's instrumentation hub). Without a sink they are only logged. */
  attach(sink: AlertSink): void {
    this.sink = sink;
  }

  isActive(key: string): boolean {
    return this.active.has(key);
  }

  get(key: string): ActiveAlert | undefined {
    return this.active.get(key);
  }

  list(): readonly ActiveAlert[] {
    return [...this.active.values()];
  }

  /** The key breaches now. Fires (true) only when it was not breaching before. */
  breach(key: string, firing: AlertFiring, now: number): boolean {
    if (this.active.has(key)) return false;
    this.active.set(key, { key, ...firing, since: now, escalated: false });
    const log = firing.severity === "critical" ? this.logger.error : firing.severity === "warning" ? this.logger.warn : this.logger.info;
    log.call(this.logger, `alert: ${firing.message}`, { alert: key, category: firing.category, severity: firing.severity });
    this.emit({ kind: "alert", severity: firing.severity, category: firing.category, message: firing.message });
    return true;
  }

  /** Escalates an active alert once. */
  escalate(key: string, message: string): boolean {
    const alert = this.active.get(key);
    if (alert === undefined || alert.escalated) return false;
    alert.escalated = true;
    this.logger.error(`escalated: ${message}`, { alert: key, category: alert.category });
    this.emit({ kind: "escalated", category: alert.category, message });
    return true;
  }

  /** The key is fine now. Resolves (true) only when it was breaching. */
  clear(key: string, message: string): boolean {
    const alert = this.active.get(key);
    if (alert === undefined) return false;
    this.active.delete(key);
    this.logger.info(`resolved: ${message}`, { alert: key, category: alert.category });
    return true;
  }

  private emit(event: InstrumentationEvent): void {
    this.pending.push(event);
    if (this.emitting) return;
    this.emitting = true;
    try {
      for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) {
        try {
          this.sink?.(next);
        } catch (error) {
          this.logger.warn("alert sink failed", { event: next.kind, error: error instanceof Error ? error.message : String(error) });
        }
      }
    } finally {
      this.emitting = false;
    }
  }
}
