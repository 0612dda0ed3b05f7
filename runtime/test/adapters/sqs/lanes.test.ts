// The SQS publisher's shared batches (pure): the calls of one turn are cut into batches of <= 10 entries and
// 256 KiB, a call's batches stay in one lane (sent in order), and failures reach exactly the calls they concern.
import { describe, expect, it } from "vitest";
import type { Encoded } from "../../../src/adapters/sqs/attributes.js";
import { Call, lanes, sendLane, MAX_BATCH_BYTES, type Entry, type FailedEntry } from "../../../src/adapters/sqs/lanes.js";
import { TransportError } from "../../../src/errors.js";

interface Outcome {
  resolved: boolean;
  error?: unknown;
}

/** A call of `n` messages with its outcome recorded; `size` bytes each. */
function call(name: string, n: number, size = 100): { entries: Entry[]; outcome: Outcome; call: Call } {
  const outcome: Outcome = { resolved: false };
  const c = new Call(1, () => (outcome.resolved = true), (error) => (outcome.error = error));
  const encoded: Encoded = { body: "x", attributes: {}, size };
  const entries = Array.from({ length: n }, (_, i) => ({ message: { topic: "t", body: Buffer.from("x"), headers: {}, id: `${name}-${i}` }, encoded, call: c }));
  return { entries, outcome, call: c };
}

const ids = (batch: readonly Entry[]): string[] => batch.map((e) => e.message.id);

describe("sqs publish lanes", () => {
  it("packs one-message calls into full batches, each its own lane (sent concurrently)", () => {
    const calls = Array.from({ length: 25 }, (_, i) => call(`c${i}`, 1));
    const result = lanes(calls.flatMap((c) => c.entries));
    expect(result.map((l) => l.length)).toEqual([10, 10, 5]);
  });

  it("keeps every batch of a call in one lane, in order, and starts a new lane after it", () => {
    const before = call("a", 5);
    const big = call("big", 15);
    const after = call("z", 10);
    const result = lanes([...before.entries, ...big.entries, ...after.entries]);
    // Batches: [a x5, big 0-4], [big 5-14], [z x10]: the first two share `big`.
    expect(result.map((l) => l.length)).toEqual([20, 10]);
    expect(ids(result[0]!)).toEqual([...ids(before.entries), ...ids(big.entries)]);
  });

  it("cuts batches at 256 KiB", () => {
    const calls = Array.from({ length: 4 }, (_, i) => call(`c${i}`, 1, Math.floor(MAX_BATCH_BYTES / 3)));
    expect(lanes(calls.flatMap((c) => c.entries)).map((l) => l.length)).toEqual([3, 1]);
  });

  it("sends a lane batch by batch; a failed batch fails its calls and stops only their later messages", async () => {
    const a = call("a", 5);
    const big = call("big", 15);
    const [lane] = lanes([...a.entries, ...big.entries]);
    const sent: string[][] = [];
    const failures = await sendLane(lane!, async (batch) => {
      sent.push(ids(batch));
      if (sent.length === 1) throw new TransportError("down", { retriable: true });
      return undefined;
    }, "t");
    // The first batch (a x5 + big 0-4) failed: big's other 10 messages are not sent after it.
    expect(sent).toHaveLength(1);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.calls).toEqual([a.call, big.call]);
  });

  it("fails only the calls whose entries the broker refused, with that message's id", async () => {
    const calls = Array.from({ length: 10 }, (_, i) => call(`c${i}`, 1));
    const [lane] = lanes(calls.flatMap((c) => c.entries));
    const refused: FailedEntry[] = [{ Id: "3", Code: "InvalidParameterValue", Message: "bad", SenderFault: true }];
    const failures = await sendLane(lane!, async () => refused, "t");
    expect(failures).toHaveLength(1);
    expect(failures[0]!.calls).toEqual([calls[3]!.call]);
    expect(failures[0]!.error).toMatchObject({ retriable: false, messageId: "c3-0", topic: "t" });
    for (const f of failures) for (const c of f.calls) c.fail(f.error);
    for (const c of calls) c.call.partDone();
    expect(calls.filter((c) => c.outcome.resolved)).toHaveLength(9);
    expect(calls[3]!.outcome.error).toBeInstanceOf(TransportError);
  });

  it("fails every call of a batch when a refused entry cannot be matched to one", async () => {
    const calls = Array.from({ length: 3 }, (_, i) => call(`c${i}`, 1));
    const failures = await sendLane(calls.flatMap((c) => c.entries), async () => [{ Id: "99", Code: "X", SenderFault: false }], "t");
    expect(failures.flatMap((f) => f.calls)).toEqual(calls.map((c) => c.call));
  });

  it("settles a call only when every topic it published to is done", () => {
    const outcome: Outcome = { resolved: false };
    const c = new Call(2, () => (outcome.resolved = true), (error) => (outcome.error = error));
    c.partDone();
    expect(outcome.resolved).toBe(false);
    c.partDone();
    expect(outcome.resolved).toBe(true);
  });
});
