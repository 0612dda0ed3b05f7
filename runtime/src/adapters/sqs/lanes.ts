// The publish calls of one event-loop turn share SendMessageBatch / PublishBatch requests: the runtime core
// makes one publish call per event, and one request per message costs the broker ~4x the CPU of batches of
// 10 (bench/sqs-generated.ts). The entries of a turn are cut into batches in arrival order; batches that share
// a call form a lane, sent one batch after the other so that call's messages keep their order; lanes (and so
// different calls) go out concurrently, as concurrent calls did before.
import { TransportError } from "../../errors.js";
import type { OutgoingMessage } from "../../transport.js";
import type { Encoded } from "./attributes.js";

export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 256 * 1024 - 1024; // headroom for the request's own fields

/** One publish() call: settles once every topic it sent to is done, with its first failure if any. */
export class Call {
  private failure: unknown;
  private failed = false;

  constructor(
    /** Topics of this call not finished yet. */
    private parts: number,
    private readonly resolve: () => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = error;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  partDone(): void {
    if (--this.parts > 0) return;
    if (this.failed) this.reject(this.failure);
    else this.resolve();
  }
}

export interface Entry {
  readonly message: OutgoingMessage;
  readonly encoded: Encoded;
  readonly call: Call;
}

/** A failure of some entries' calls at one destination (applied or, for a vanished queue, ignored by the caller). */
export interface Failure {
  readonly calls: readonly Call[];
  readonly error: unknown;
}

/** The distinct calls of `entries`, in order of first appearance. */
export function callsOf(entries: readonly Entry[]): Call[] {
  return [...new Set(entries.map((e) => e.call))];
}

/** Cuts the entries (arrival order) into batches and joins the batches a call spans into one lane. */
export function lanes(entries: readonly Entry[]): Entry[][] {
  const result: Entry[][] = [];
  let lane: Entry[] = [];
  let inBatch = 0;
  let bytes = 0;
  for (const entry of entries) {
    if (inBatch > 0 && (inBatch === MAX_BATCH_ENTRIES || bytes + entry.encoded.size > MAX_BATCH_BYTES)) {
      // A batch boundary: the lane goes on only if this entry's call is already in it.
      if (lane[lane.length - 1]!.call !== entry.call) {
        result.push(lane);
        lane = [];
      }
      inBatch = 0;
      bytes = 0;
    }
    lane.push(entry);
    inBatch++;
    bytes += entry.encoded.size;
  }
  if (lane.length > 0) result.push(lane);
  return result;
}

/** Sends the lanes to one destination, concurrently (each lane's batches in order); the failures of all. */
export async function sendLanes(
  laneList: readonly (readonly Entry[])[],
  send: (batch: readonly Entry[]) => Promise<readonly FailedEntry[] | undefined>,
  topic: string,
): Promise<Failure[]> {
  return (await Promise.all(laneList.map((lane) => sendLane(lane, send, topic)))).flat();
}

/**
 * Sends a lane to one destination, batch after batch. A call whose batch failed sends nothing more (its later
 * messages would overtake the failed ones on a retry); the other calls of the lane go on.
 */
export async function sendLane(
  lane: readonly Entry[],
  send: (batch: readonly Entry[]) => Promise<readonly FailedEntry[] | undefined>,
  topic: string,
): Promise<Failure[]> {
  const failures: Failure[] = [];
  const failed = new Set<Call>();
  let i = 0;
  while (i < lane.length) {
    const batch: Entry[] = [];
    let bytes = 0;
    for (; i < lane.length && batch.length < MAX_BATCH_ENTRIES; i++) {
      const entry = lane[i]!;
      if (failed.has(entry.call)) continue;
      if (batch.length > 0 && bytes + entry.encoded.size > MAX_BATCH_BYTES) break;
      batch.push(entry);
      bytes += entry.encoded.size;
    }
    if (batch.length === 0) break;
    let refused: readonly FailedEntry[] | undefined;
    try {
      refused = await send(batch);
    } catch (error) {
      const calls = callsOf(batch);
      for (const call of calls) failed.add(call);
      failures.push({ calls, error });
      continue;
    }
    for (const [call, error] of refusals(topic, batch, refused ?? [])) {
      failed.add(call);
      failures.push({ calls: [call], error });
    }
  }
  return failures;
}

export interface FailedEntry {
  readonly Id?: string;
  readonly Code?: string;
  readonly Message?: string;
  readonly SenderFault?: boolean;
}

/** Entries the broker refused in a batch (Id = index in the batch): one error per call, for its first refused message. */
function refusals(topic: string, batch: readonly Entry[], failed: readonly FailedEntry[]): Map<Call, TransportError> {
  const byCall = new Map<Call, TransportError>();
  const unknown = failed.find((f) => batch[Number(f.Id)] === undefined);
  if (unknown !== undefined) {
    // Cannot tell whose message it was: every call of the batch fails (a retry may duplicate, never lose).
    for (const e of batch) {
      if (!byCall.has(e.call)) byCall.set(e.call, new TransportError(`aws: ${failed.length} of ${batch.length} message(s) to ${topic} refused: ${unknown.Code ?? "error"}: ${unknown.Message ?? ""}`, { retriable: unknown.SenderFault !== true, topic, messageId: e.message.id }));
    }
    return byCall;
  }
  for (const f of failed) {
    const entry = batch[Number(f.Id)]!;
    if (byCall.has(entry.call)) continue;
    const ofCall = failed.filter((x) => batch[Number(x.Id)]?.call === entry.call).length;
    const inCall = batch.filter((e) => e.call === entry.call).length;
    byCall.set(entry.call, new TransportError(`aws: ${ofCall} of ${inCall} message(s) to ${topic} refused: ${f.Code ?? "error"}: ${f.Message ?? ""}`, {
      retriable: f.SenderFault !== true,
      topic,
      messageId: entry.message.id,
    }));
  }
  return byCall;
}
