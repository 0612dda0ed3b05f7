// The events of the "through generated code" benchmarks (bench/throughput/*.hyp, event `reading.recorded`), and
// what a raw client sends for the same event: the same envelope, serialized the way an app without hypc would
// (JSON.stringify + Buffer.from). Both sides build a fresh payload per message, so that cost is the same.
import { randomUUID } from "node:crypto";
import { newSpanId, newTraceId } from "@hypc/runtime/core/tracing";
import { readdirSync, readFileSync } from "node:fs";
import { median } from "./stats.js";

export interface Reading {
  readonly reading_id: string;
  readonly sensor: string;
  readonly value: number;
  readonly unit: string;
  readonly recorded_at: string;
}

export const EVENT_TYPE = "reading.recorded";
export const SOURCE = "hypc-bench";

export function reading(i: number): Reading {
  return { reading_id: randomUUID(), sensor: `greenhouse-${i % 64}/soil-moisture`, value: (i % 1000) / 10, unit: "percent", recorded_at: new Date().toISOString() };
}

/** The wire envelope of a reading, as the raw client sends it (the same shape generated code sends). */
export function rawEnvelope(payload: Reading, id: string = randomUUID()): Buffer {
  const metadata = { message_id: id, source: SOURCE, correlation_id: id, causation_id: id, timestamp: new Date().toISOString() };
  return Buffer.from(JSON.stringify({ event_type: EVENT_TYPE, version: "1.0", payload, metadata }));
}

/**
 * The trace context generated code puts on every message (tracing.enabled is the default; trace_propagation's
 * x-trace-id and x-span-id): a raw client sending the same message sends these too.
 */
export function traceHeaders(): Record<string, string> {
  // The runtime's own id functions (pooled random bytes): the raw side gets ids exactly as cheap.
  return { "x-trace-id": newTraceId(), "x-span-id": newSpanId() };
}

/** What a raw consumer does with a body before its handler: parse it (no validation). */
export function parseRaw(body: Buffer): { readonly payload: Reading } {
  return JSON.parse(body.toString("utf8")) as { payload: Reading };
}

export { median, quantile } from "./stats.js";

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Messages per second from the first to the last message handled (setup before the first one, e.g. a
 * subscription starting, is not counted: the two sides set up differently).
 */
export class ConsumeClock {
  private first = 0;
  private last = 0;
  private count = 0;
  private resolveDone: () => void = () => undefined;
  readonly done: Promise<void>;

  /** `cpu`: measured over the same span (first to last message), so setup and shutdown are not counted either. */
  constructor(
    private readonly expected: number,
    private readonly cpu?: CpuMeter,
  ) {
    this.done = new Promise<void>((resolve) => (this.resolveDone = resolve));
  }

  tick(): void {
    if (this.count === 0) {
      this.first = performance.now();
      this.cpu?.begin();
    }
    if (++this.count === this.expected) {
      this.last = performance.now();
      this.cpu?.end(this.expected - 1);
      this.resolveDone();
    }
  }

  get handled(): number {
    return this.count;
  }

  perSecond(): number {
    return (this.expected - 1) / ((this.last - this.first) / 1000);
  }
}

/** What every generated module's createMessaging returns that the benches use. */
interface GeneratedMessaging {
  readonly producers: { readonly readingProducer: { readingRecorded(payload: Reading): Promise<unknown> } };
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Publishes `messages` readings through generated code, `window` calls in flight at a time; msg/s. */
export async function publishThroughGenerated(m: GeneratedMessaging, messages: number, window: number): Promise<number> {
  const started = performance.now();
  for (let sent = 0; sent < messages; sent += window) {
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < Math.min(window, messages - sent); i++) calls.push(m.producers.readingProducer.readingRecorded(reading(sent + i)));
    await Promise.all(calls);
  }
  return messages / ((performance.now() - started) / 1000);
}

/** createMessaging options every bench's generated code starts with: the configured broker, quiet, these consumers. */
export function configured(env: Readonly<Record<string, string | undefined>>, consumers: readonly string[]) {
  return { transport: "configured" as const, env, logger: silentLogger, start: { consumers } };
}

/**
 * The typed ReadingHandler every bench registers, and the consume measurement around it: the handler ticks the
 * clock of the consume in progress (none while only publishing).
 */
export class GeneratedReadings {
  private clock: ConsumeClock | undefined;

  readonly handler = async (event: { readonly payload: Reading }): Promise<void> => {
    if (event.payload.value < 0) throw new Error("unreachable");
    this.clock?.tick();
  };

  /** Starts the generated consumer `create` makes, waits until `clock` saw every message, stops it; msg/s. */
  async consume(create: () => GeneratedMessaging, clock: ConsumeClock, until: (done: Promise<void>) => Promise<void> = (done) => done): Promise<number> {
    this.clock = clock;
    try {
      const m = create();
      await m.start();
      await until(clock.done);
      await m.stop();
      return clock.perSecond();
    } finally {
      this.clock = undefined;
    }
  }
}

/** One ratio row set: generated, raw, generated / raw with the ≥ 0.9 target. */
export function ratioRows(what: string, generated: readonly number[], raw: readonly number[], client: string): import("./row.js").Row[] {
  const g = median(generated);
  const r = median(raw);
  return [
    { name: `${what}: generated code`, value: g, unit: "msg/s" },
    { name: `${what}: raw ${client}`, value: r, unit: "msg/s" },
    { name: `${what}: generated / raw`, value: g / r, unit: "x", target: ">= 0.9", ok: g / r >= 0.9, note: roundRatios(generated, raw) },
  ];
}

/** The ratio of each round, `ours` / `raw`, for a row's note: "rounds: 0.97 1.02 …". */
export function roundRatios(ours: readonly number[], raw: readonly number[]): string {
  return `rounds: ${ours.map((x, i) => (x / (raw[i] ?? Number.NaN)).toFixed(2)).join(" ")}`;
}

/** CPU seconds used so far by a process (utime + stime from /proc; Linux only, else NaN). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

/**
 * The pid of the broker: of the processes whose command line matches, the one that has used the most CPU (a
 * shell or grep whose command line happens to contain the pattern has used next to none).
 */
export function findPid(pattern: RegExp): number | undefined {
  let best: { pid: number; cpu: number } | undefined;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!pattern.test(readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " "))) continue;
      const cpu = processCpuSeconds(Number(entry));
      if (best === undefined || cpu > best.cpu) best = { pid: Number(entry), cpu };
    } catch {
      // gone, or not readable
    }
  }
  return best?.pid;
}

/**
 * CPU spent per message by this process (the client) and by the broker, over one measured phase. On a shared
 * 2-core machine throughput follows the sum of the two, so this says where a gap comes from.
 */
export class CpuMeter {
  private readonly samples: { client: number[]; broker: number[] } = { client: [], broker: [] };
  constructor(private readonly brokerPid: number | undefined) {}

  private start: { client: NodeJS.CpuUsage; broker: number } | undefined;

  begin(): void {
    this.start = { client: process.cpuUsage(), broker: this.brokerPid === undefined ? Number.NaN : processCpuSeconds(this.brokerPid) };
  }

  end(messages: number): void {
    if (this.start === undefined) return;
    const client = process.cpuUsage(this.start.client);
    this.samples.client.push((client.user + client.system) / messages);
    if (this.brokerPid !== undefined) this.samples.broker.push(((processCpuSeconds(this.brokerPid) - this.start.broker) * 1e6) / messages);
    this.start = undefined;
  }

  async measure<T>(messages: number, phase: () => Promise<T>): Promise<T> {
    this.begin();
    const result = await phase();
    this.end(messages);
    return result;
  }

  /** Median µs per message of the client and the broker (NaN when not measured). */
  medians(): { client: number; broker: number } {
    return { client: median(this.samples.client), broker: this.samples.broker.length > 0 ? median(this.samples.broker) : Number.NaN };
  }

  /** "client 41 µs/msg, broker 130 µs/msg" (medians). */
  summary(): string {
    const broker = this.samples.broker.length > 0 ? `, broker ${median(this.samples.broker).toFixed(0)} µs/msg` : "";
    return `client ${median(this.samples.client).toFixed(0)} µs/msg${broker}`;
  }
}

/** A CPU row: the client's median µs per message as the value (rows travel as JSON, where NaN becomes null). */
export function cpuRow(meter: CpuMeter): Pick<import("./row.js").Row, "value" | "unit" | "note"> {
  return { value: meter.medians().client, unit: "µs/msg", note: meter.summary() };
}

/** The four measured phases of a publish/consume comparison; each returns msg/s. */
export interface PublishConsumeSides {
  publishGenerated(): Promise<number>;
  publishRaw(): Promise<number>;
  /** `cpu` measures from the first message handled to the last (ConsumeClock). */
  consumeGenerated(cpu: CpuMeter): Promise<number>;
  consumeRaw(cpu: CpuMeter): Promise<number>;
}

export interface PublishConsumeResults {
  readonly pub: { readonly generated: number[]; readonly raw: number[] };
  readonly con: { readonly generated: number[]; readonly raw: number[] };
  readonly cpu: { readonly pubGenerated: CpuMeter; readonly pubRaw: CpuMeter; readonly conGenerated: CpuMeter; readonly conRaw: CpuMeter };
}

function publishConsumeResults(brokerPid: number | undefined): PublishConsumeResults {
  return {
    pub: { generated: [], raw: [] },
    con: { generated: [], raw: [] },
    cpu: { pubGenerated: new CpuMeter(brokerPid), pubRaw: new CpuMeter(brokerPid), conGenerated: new CpuMeter(brokerPid), conRaw: new CpuMeter(brokerPid) },
  };
}

/**
 * `rounds` interleaved rounds of publish, then consume (what the publish round filled), generated and raw; who
 * goes first alternates. With `warmUp`, one more round first that is not counted: the generated side's first
 * calls compile its pipeline (validators, middlewares); measured, such a round came out at 0.3-0.6x.
 */
export async function publishConsumeRounds(rounds: number, messages: number, brokerPid: number | undefined, sides: PublishConsumeSides, warmUp: boolean): Promise<PublishConsumeResults> {
  const counted = publishConsumeResults(brokerPid);
  for (let round = warmUp ? -1 : 0; round < rounds; round++) {
    const s = round < 0 ? publishConsumeResults(brokerPid) : counted;
    const generatedFirst = round % 2 === 0;
    const publishGenerated = async (): Promise<void> => void s.pub.generated.push(await s.cpu.pubGenerated.measure(messages, () => sides.publishGenerated()));
    const consumeGenerated = async (): Promise<void> => void s.con.generated.push(await sides.consumeGenerated(s.cpu.conGenerated));
    if (generatedFirst) await publishGenerated();
    s.pub.raw.push(await s.cpu.pubRaw.measure(messages, () => sides.publishRaw()));
    if (!generatedFirst) await publishGenerated();
    if (generatedFirst) await consumeGenerated();
    s.con.raw.push(await sides.consumeRaw(s.cpu.conRaw));
    if (!generatedFirst) await consumeGenerated();
  }
  return counted;
}

/** The rows of a publish/consume comparison: each ratio (ratioRows) and the CPU per message of both sides. */
export function publishConsumeRows(
  r: PublishConsumeResults,
  labels: { readonly prefix: string; readonly publish: string; readonly consume: string; readonly client: string },
): import("./row.js").Row[] {
  const { prefix, client } = labels;
  return [
    ...ratioRows(labels.publish, r.pub.generated, r.pub.raw, client),
    { name: `${prefix}publish CPU per message (info): generated code`, ...cpuRow(r.cpu.pubGenerated) },
    { name: `${prefix}publish CPU per message (info): raw ${client}`, ...cpuRow(r.cpu.pubRaw) },
    ...ratioRows(labels.consume, r.con.generated, r.con.raw, client),
    { name: `${prefix}consume CPU per message (info): generated code`, ...cpuRow(r.cpu.conGenerated) },
    { name: `${prefix}consume CPU per message (info): raw ${client}`, ...cpuRow(r.cpu.conRaw) },
  ];
}
