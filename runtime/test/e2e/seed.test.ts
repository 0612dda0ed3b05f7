// End to end on the embedded broker with the seed's topology (compiled from fixtures/seed/messaging.hyp when the
// compiler accepts it, else the hand-written fixture): see seed-scenario.ts for what is checked.
import { afterEach, describe, it } from "vitest";
import type { Runtime } from "../../src/core/runtime.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import { MemoryIdempotencyStore } from "../../src/idempotency/memory-store.js";
import { loadSeedTopology } from "../fixtures/load-seed.js";
import { runSeedScenario } from "./seed-scenario.js";

describe("seed topology end to end on the embedded broker", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it("produces and handles every event type, fans out, replies, dead-letters and suppresses duplicates", async () => {
    await runSeedScenario({ topology: await loadSeedTopology(), transport: new EmbeddedTransport(), kind: "kafka", idempotencyStore: new MemoryIdempotencyStore() }, (r) => (runtime = r));
  });
});
