import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { EmbeddedBroker, EmbeddedTransport } from "../../src/embedded/index.js";
import { HypcError, TimeoutError, ValidationError } from "../../src/errors.js";
import type { RequestHandler } from "../../src/api.js";
import type { Topology } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger } from "../helpers.js";

const fastRetry: Topology = {
  ...seedTopology,
  requestReply: seedTopology.requestReply.map((x) => ({ ...x, timeout: 150, retry: { ...x.retry, max_retries: 2, initial_delay: 20 } })),
};
const request = (content = "print 1") => ({ script_id: randomUUID(), content, validation_rules: [], timeout: 100 });

describe("request-reply (embedded)", () => {
  const runtimes: Runtime[] = [];
  afterEach(async () => {
    for (const r of runtimes.splice(0)) await r.stop();
  });
  const broker = new EmbeddedBroker();
  const start = async (requests: Record<string, RequestHandler> = {}, topology: Topology = fastRetry) => {
    const rt = createRuntime({ topology, validators: compileValidators(topology), transport: new EmbeddedTransport({ broker }), handlers: { requests }, logger: recordingLogger() });
    runtimes.push(rt);
    await rt.start();
    return rt;
  };

  it("client and server in different runtimes: concurrent requests get their own replies", async () => {
    await start({
      script_validation: async (r) => {
        const req = r as { script_id: string; content: string };
        await new Promise((res) => setTimeout(res, Math.random() * 10));
        return { script_id: req.script_id, valid: !req.content.includes("bad"), errors: [], warnings: [], validation_time_ms: 1 };
      },
    });
    const client = await start();
    const reqs = Array.from({ length: 20 }, (_, i) => request(i % 2 === 0 ? "ok" : "bad"));
    const t0 = performance.now();
    const replies = (await Promise.all(reqs.map((r) => client.request("script_validation", r)))) as { script_id: string; valid: boolean }[];
    expect(replies.map((r) => r.script_id)).toEqual(reqs.map((r) => r.script_id));
    expect(replies.map((r) => r.valid)).toEqual(reqs.map((_, i) => i % 2 === 0));
  });

  it("retries on timeout per the retry policy, then fails with a TimeoutError naming the exchange", async () => {
    let calls = 0;
    await start({
      script_validation: async () => {
        calls++;
        await new Promise((res) => setTimeout(res, 1000));
        return {};
      },
    }, { ...fastRetry, requestReply: fastRetry.requestReply.map((x) => ({ ...x, timeout: 5000 })) });
    const client = await start();
    const t0 = performance.now();
    const error = (await client.request("script_validation", request(), { timeout: 100 }).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/request to script_validation got no reply on script\.validation\.reply after 3 attempt\(s\) of 100 ms/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
    expect(calls).toBe(3);
  });

  it("validates the request on the client before sending", async () => {
    const client = await start();
    const error = (await client.request("script_validation", { script_id: 1 }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/request to script_validation is invalid/);
  });

  it("turns a server failure or an invalid reply into an error reply: the client fails at once", async () => {
    await start({
      script_validation: async (r) => {
        if ((r as { content: string }).content === "crash") throw new Error("validator crashed");
        return { valid: "yes" };
      },
    });
    const client = await start();
    const t0 = performance.now();
    const crashed = (await client.request("script_validation", request("crash"), { timeout: 2000 }).catch((e: unknown) => e)) as HypcError;
    expect(crashed).toBeInstanceOf(HypcError);
    expect(crashed.message).toMatch(/script_validation failed: validator crashed/);
    const invalid = (await client.request("script_validation", request("x"), { timeout: 2000 }).catch((e: unknown) => e)) as ValidationError;
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid.message).toMatch(/reply of script_validation is invalid/);
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it("rejects pending requests when the runtime stops", async () => {
    const client = await start();
    const outcome = client.request("script_validation", request(), { timeout: 10_000 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    runtimes.splice(runtimes.indexOf(client), 1);
    await client.stop();
    expect(String(await outcome)).toMatch(/cancelled: the runtime is stopping/);
  });
});
