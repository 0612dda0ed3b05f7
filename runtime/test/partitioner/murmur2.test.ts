import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { murmur2, partitionForKey } from "../../src/partitioner/murmur2.js";

// kafkajs's DefaultPartitioner hash (a port of the Java client's Utils.murmur2) is the reference.
const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require("kafkajs/src/producer/partitioners/default/murmur2.js") as (key: string | Buffer) => number;

describe("murmur2 (Kafka default partitioner)", () => {
  it("matches kafkajs on fixed keys", () => {
    for (const key of ["", "0", "21", "foobar", "a-little-bit-long-string", "user-42", "script-123", "äöü✓"]) {
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
    }
  });

  it("matches kafkajs on random keys", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 64 }), (key) => murmur2(key) === kafkajsMurmur2(key)), { numRuns: 500 });
  });

  it("places keys as Kafka does: toPositive(hash) % partitions", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 32 }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        const p = partitionForKey(key, n);
        return p === (kafkajsMurmur2(key) & 0x7fffffff) % n && p >= 0 && p < n;
      }),
      { numRuns: 300 },
    );
  });
});
