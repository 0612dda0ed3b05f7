// Against the real Redis at 127.0.0.1:6379 (skips with a message if absent, fails under HYPC_REQUIRE_BROKERS=1).
import { randomUUID } from "node:crypto";
import { createConnection } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { RedisIdempotencyStore } from "../../src/idempotency/redis-store.js";
import { TransportError } from "../../src/errors.js";

const url = process.env.HYPC_REDIS_URL ?? "redis://127.0.0.1:6379";

async function reachable(): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

const up = await reachable();
const required = process.env.HYPC_REQUIRE_BROKERS === "1";
if (!up && !required) console.warn(`[redis-store] skipped: Redis not reachable at ${url}`);

describe.skipIf(!up && !required)("RedisIdempotencyStore (real Redis)", () => {
  const prefix = `hypc-test:${randomUUID()}:`;
  const stores: RedisIdempotencyStore[] = [];
  const open = async () => {
    const s = new RedisIdempotencyStore({ url, prefix });
    await s.connect();
    stores.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it("is reachable (HYPC_REQUIRE_BROKERS=1 fails here when Redis is missing)", () => {
    expect(up).toBe(true);
  });

  it("claims once across two clients (SET NX), marks done, releases", async () => {
    const a = await open();
    const b = await open();
    const key = randomUUID();
    expect(await a.claim(key, 30)).toBe("claimed");
    expect(await b.claim(key, 30)).toBe("in_progress");
    await a.complete(key, 30);
    expect(await b.claim(key, 30)).toBe("done");
    const other = randomUUID();
    expect(await a.claim(other, 30)).toBe("claimed");
    await a.release(other);
    expect(await b.claim(other, 30)).toBe("claimed");
  });

  it("expires keys after their TTL", async () => {
    const a = await open();
    const key = randomUUID();
    expect(await a.claim(key, 1)).toBe("claimed");
    await a.complete(key, 1);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await a.claim(key, 1)).toBe("claimed");
  });

  it("fails to connect with a retriable TransportError that hides credentials", async () => {
    const bad = new RedisIdempotencyStore({ url: "redis://user:secret@127.0.0.1:1" });
    const error = (await bad.connect().catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.retriable).toBe(true);
    expect(error.message).not.toContain("secret");
    await bad.close();
  });
});
