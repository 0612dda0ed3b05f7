// Idempotency store on Redis (ioredis): SET key "in_progress" NX EX ttl claims; "done" marks processed.
// Shared by every instance of a service, survives restarts (within the TTL).
import type { Redis as RedisClient } from "ioredis";
import type { IdempotencyStore } from "../api.js";
import { TransportError } from "../errors.js";

export interface RedisIdempotencyStoreOptions {
  /** redis://host:port/db; default redis://127.0.0.1:6379 */
  readonly url?: string;
  /** Prefix of every key, so several apps can share a Redis. */
  readonly prefix?: string;
  /** An existing client (not closed by close()). */
  readonly client?: RedisClient;
}

export class RedisIdempotencyStore implements IdempotencyStore {
  private client: RedisClient | undefined;
  private readonly ownsClient: boolean;
  private readonly prefix: string;

  constructor(private readonly options: RedisIdempotencyStoreOptions = {}) {
    this.client = options.client;
    this.ownsClient = options.client === undefined;
    this.prefix = options.prefix ?? "hypc:idem:";
  }

  /** Connects (lazily loads ioredis so apps without Redis never load it). */
  async connect(): Promise<void> {
    if (this.client !== undefined) return;
    const { Redis } = await import("ioredis");
    const url = this.options.url ?? "redis://127.0.0.1:6379";
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    // Connection errors surface as rejected commands (and connect() below); without a listener ioredis would
    // print them as "Unhandled error event" with the URL.
    client.on("error", () => undefined);
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw new TransportError(`idempotency store: cannot connect to Redis at ${redactUrl(url)}`, { retriable: true, cause: error });
    }
    this.client = client;
  }

  async claim(key: string, ttlSeconds: number): Promise<"claimed" | "done" | "in_progress"> {
    const client = await this.ready();
    const k = this.prefix + key;
    const set = await client.set(k, "in_progress", "EX", Math.max(1, Math.ceil(ttlSeconds)), "NX");
    if (set === "OK") return "claimed";
    const state = await client.get(k);
    if (state === "done") return "done";
    if (state === null) return this.claim(key, ttlSeconds); // expired between SET and GET
    return "in_progress";
  }

  async complete(key: string, ttlSeconds: number): Promise<void> {
    const client = await this.ready();
    await client.set(this.prefix + key, "done", "EX", Math.max(1, Math.ceil(ttlSeconds)));
  }

  async release(key: string): Promise<void> {
    const client = await this.ready();
    await client.del(this.prefix + key);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined && this.ownsClient) await client.quit().catch(() => client.disconnect());
  }

  private async ready(): Promise<RedisClient> {
    if (this.client === undefined) await this.connect();
    return this.client!;
  }
}

/** Never log credentials of a URL. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
