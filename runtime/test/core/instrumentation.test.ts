// The hub's "consumed" path: the runtime's own observers count it from plain arguments (no event object, no trace
// ids computed, the message's headers never read); any other observer gets the full event, trace ids included.
import { describe, expect, it } from "vitest";
import type { InstrumentationEvent } from "../../src/api.js";
import { consumedRecorder, InstrumentationHub, type ConsumedRecorder, type RecordConsumed } from "../../src/core/instrumentation.js";
import { MetricsObserver, MetricsRegistry } from "../../src/core/metrics.js";
import { recordingLogger } from "../helpers.js";
import { attemptOf, envelope, received } from "../middleware/harness.js";

/** A received message that counts how often its headers are read. */
function countingHeaders(headers: Record<string, string>): { message: ReturnType<typeof received>; reads: () => number } {
  const message = received(envelope(), { headers });
  let reads = 0;
  const counted = Object.create(message, { headers: { get: () => (reads++, headers) } }) as typeof message;
  return { message: counted, reads: () => reads };
}

class Recorder implements ConsumedRecorder {
  readonly calls: unknown[][] = [];
  readonly events: InstrumentationEvent[] = [];
  onEvent(e: InstrumentationEvent): void {
    this.events.push(e);
  }
  [consumedRecorder](handler: string): RecordConsumed {
    return (...args) => this.calls.push([handler, ...args]);
  }
}

describe("InstrumentationHub.consumedBy", () => {
  it("gives recorders handler, topic, event type and latency, and reads no header when only recorders listen", () => {
    const recorder = new Recorder();
    const hub = new InstrumentationHub([recorder], recordingLogger());
    const { message, reads } = countingHeaders({ "x-trace-id": "a".repeat(32), "x-hypc-attempt": "3" });
    hub.consumedBy("ScriptCreatedHandler")(attemptOf(message, "ScriptCreatedHandler"), 12.5);
    expect(recorder.calls).toEqual([["ScriptCreatedHandler", "t", "script.created", 12.5]]);
    expect(recorder.events).toEqual([]);
    expect(reads()).toBe(0);
  });

  it("gives other observers the full event: the sender's trace id, a new span id, the attempt from the header", () => {
    const events: InstrumentationEvent[] = [];
    const recorder = new Recorder();
    const hub = new InstrumentationHub([recorder, { onEvent: (e) => events.push(e) }], recordingLogger());
    const { message } = countingHeaders({ "x-trace-id": "a".repeat(32), "x-hypc-attempt": "3" });
    const attempt = attemptOf(message, "H");
    hub.consumedBy("H")(attempt, 4);
    expect(events).toEqual([
      { kind: "consumed", topic: "t", eventType: "script.created", messageId: attempt.envelope.metadata.message_id, handler: "H", latencyMs: 4, attempt: 3, traceId: "a".repeat(32), spanId: expect.stringMatching(/^[0-9a-f]{16}$/) },
    ]);
    // The attempt keeps the span id it reported (a publish from the handler is its child).
    expect(attempt.spanId).toBe((events[0] as { spanId: string }).spanId);
    expect(recorder.calls).toHaveLength(1);
  });

  it("logs an observer that throws and still tells the others", () => {
    const logger = recordingLogger();
    const events: InstrumentationEvent[] = [];
    const broken = new Recorder();
    broken[consumedRecorder] = () => () => {
      throw new Error("recorder broke");
    };
    const hub = new InstrumentationHub([broken, { onEvent: () => { throw new Error("observer broke"); } }, { onEvent: (e) => events.push(e) }], logger);
    hub.consumedBy("H")(attemptOf(received(envelope())), 1);
    expect(events).toHaveLength(1);
    expect(logger.entries.filter((r) => r.message === "instrumentation observer failed").map((r) => (r.fields as { error?: string } | undefined)?.error)).toEqual(["recorder broke", "observer broke"]);
  });

  it("counts in the metrics registry the same as a consumed event given to onEvent", () => {
    const viaHub = new MetricsRegistry();
    const viaEvent = new MetricsRegistry();
    const hub = new InstrumentationHub([new MetricsObserver(viaHub, undefined)], recordingLogger());
    const direct = new MetricsObserver(viaEvent, undefined);
    for (const latency of [3, 40, 900]) {
      const attempt = attemptOf(received(envelope(), { topic: "orders" }), "OrderHandler");
      hub.consumedBy("OrderHandler")(attempt, latency);
      direct.onEvent({ kind: "consumed", topic: "orders", eventType: "script.created", messageId: "m", handler: "OrderHandler", latencyMs: latency, attempt: 1, traceId: "t", spanId: "s" });
    }
    expect(viaHub.text()).toBe(viaEvent.text());
    expect(viaHub.text()).toContain('hypc_messages_consumed_total{topic="orders",event_type="script.created",handler="OrderHandler"} 3');
  });
});
