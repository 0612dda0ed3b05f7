import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "../../src/diagnostics/did-you-mean.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and swaps as one edit each", () => {
    expect(editDistance("acks", "acks")).toBe(0);
    expect(editDistance("ack", "acks")).toBe(1);
    expect(editDistance("acks", "ack")).toBe(1);
    expect(editDistance("acks", "acts")).toBe(1);
    expect(editDistance("akcs", "acks")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });
});

describe("didYouMean", () => {
  const producerKeys = ["acks", "retries", "batch_size", "linger_ms", "buffer_memory", "compression_type", "security"];

  it("finds typos, best first", () => {
    expect(didYouMean("ack", producerKeys)).toEqual(["acks"]);
    expect(didYouMean("retires", producerKeys)).toEqual(["retries"]);
    expect(didYouMean("compresion_type", producerKeys)).toEqual(["compression_type"]);
  });

  it("finds prefixes and is case-insensitive", () => {
    expect(didYouMean("compression", producerKeys)).toContain("compression_type");
    expect(didYouMean("ACKS", producerKeys)).toEqual(["acks"]);
  });

  it("offers nothing for unrelated words and never the word itself", () => {
    expect(didYouMean("zookeeper", producerKeys)).toEqual([]);
    expect(didYouMean("acks", producerKeys)).toEqual([]);
  });

  it("returns at most four candidates", () => {
    expect(didYouMean("a", ["b", "c", "d", "e", "f", "g"]).length).toBeLessThanOrEqual(4);
  });
});
