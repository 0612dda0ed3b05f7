// The DLQ manual-processing endpoint over real HTTP on an ephemeral loopback port: bearer authentication,
// admin_only authorization, listing, reading, replay (through a real embedded transport) and audited discard.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeadLetter } from "../../src/api.js";
import { Headers } from "../../src/core/headers.js";
import { MemoryDeadLetterInbox } from "../../src/dlq-ui/inbox.js";
import { replayedAtHeader, replayToOriginalTopic, type ReplayFn } from "../../src/dlq-ui/replay.js";
import { startDlqServer, type DlqUiConfig } from "../../src/dlq-ui/server.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import type { RunningServer } from "../../src/monitoring/metrics-server.js";
import type { ReceivedMessage } from "../../src/transport.js";
import { recordingLogger, until } from "../helpers.js";

const ADMIN = "adm-" + randomUUID();
const ADMIN2 = "adm2-" + randomUUID();
const USER = "usr-" + randomUUID();
const env = { HYPC_DLQ_ADMIN_TOKENS: ` ${ADMIN} ,${ADMIN2}`, HYPC_DLQ_TOKENS: USER };
const seedUi: DlqUiConfig = { enabled: true, endpoint: "/api/dlq/manual-processing", authentication: "required", authorization: "admin_only" };
const TOPIC = "hypnoscript.events.script-events";

function letter(id: string, category: DeadLetter["reason"]["category"] = "system_error", topic = TOPIC): DeadLetter {
  const envelope = { event_type: "script.created", version: "1.0", payload: { script_id: id }, metadata: { message_id: id, source: "test", correlation_id: `corr-${id}`, causation_id: id, timestamp: "2026-01-01T00:00:00.000Z" } };
  return {
    envelope,
    body: JSON.stringify(envelope),
    key: `key-${id}`,
    reason: { originalTopic: topic, error: "database unavailable", category, attempts: 3, handler: "ScriptCreatedHandler", failedAt: "2026-01-01T00:00:01.000Z" },
    headers: {
      [Headers.traceId]: "trace-1",
      [Headers.correlationId]: `corr-${id}`,
      [Headers.originalTopic]: topic,
      [Headers.error]: "database unavailable",
      [Headers.attempts]: "3",
      [Headers.category]: category,
      [Headers.handler]: "ScriptCreatedHandler",
      [Headers.failedAt]: "2026-01-01T00:00:01.000Z",
    },
  };
}
const rawLetter: DeadLetter = { envelope: undefined, body: "not json {", reason: { originalTopic: TOPIC, error: "invalid JSON", category: "validation_error", attempts: 1, handler: "ScriptCreatedHandler", failedAt: "2026-01-01T00:00:02.000Z" }, headers: {} };

describe("DLQ manual-processing endpoint", () => {
  let server: RunningServer | undefined;
  let transport: EmbeddedTransport;
  let inbox: MemoryDeadLetterInbox;
  let logger: ReturnType<typeof recordingLogger>;
  let replayed: ReceivedMessage[];

  const start = async (ui: DlqUiConfig = seedUi, replay?: ReplayFn) => {
    server = await startDlqServer({ ui, inbox, replay: replay ?? replayToOriginalTopic(transport), logger, env });
    return server!;
  };
  const call = (path: string, init: RequestInit & { token?: string } = {}) => {
    const { token, ...rest } = init;
    const base = new URL(server!.url);
    return fetch(new URL(path, base.origin), { ...rest, headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(rest.body === undefined ? {} : { "content-type": "application/json" }), ...(rest.headers as Record<string, string> | undefined) } });
  };
  const base = seedUi.endpoint;

  beforeEach(async () => {
    logger = recordingLogger();
    inbox = new MemoryDeadLetterInbox();
    transport = new EmbeddedTransport();
    await transport.ensureTopics([{ name: TOPIC, partitions: 1 }]);
    replayed = [];
    await transport.subscribe({ group: "replay-observer", topics: [TOPIC], concurrency: 10, startFrom: "earliest" }, async (m) => {
      replayed.push(m);
      await m.ack();
    });
    await inbox.add(letter("m-1"));
    await inbox.add(letter("m-2", "timeout_error"));
    await inbox.add(rawLetter);
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await transport.close();
    // Tokens are secrets: nothing any test made the server log may contain one.
    const logged = JSON.stringify(logger.entries);
    for (const t of [ADMIN, ADMIN2, USER]) expect(logged).not.toContain(t);
  });

  it("binds 127.0.0.1 at the configured endpoint", async () => {
    const s = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/dlq\/manual-processing$/);
  });

  it("refuses requests without a valid bearer token (401, JSON body) and non-admins under admin_only (403)", async () => {
    await start();
    const none = await call(base);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect(await none.json()).toEqual({ error: { status: 401, message: "authentication required: send Authorization: Bearer <token>" } });
    expect((await call(base, { token: "wrong" })).status).toBe(401);
    expect((await call(base, { token: ADMIN.slice(0, -1) })).status).toBe(401);
    expect((await call(base, { headers: { authorization: `Basic ${ADMIN}` } })).status).toBe(401);
    const user = await call(base, { token: USER });
    expect(user.status).toBe(403);
    expect(await user.json()).toEqual({ error: { status: 403, message: "admin role required" } });
    expect((await call(`${base}/m-1/replay`, { method: "POST", token: USER })).status).toBe(403);
    expect(await inbox.get("m-1")).toBeDefined();
    expect((await call(base, { token: ADMIN2 })).status).toBe(200);
    expect(logger.entries.filter((e) => e.message === "DLQ UI: request refused")).toHaveLength(6);
  });

  it("lists letters oldest first with filters and paging", async () => {
    await start();
    const all = (await (await call(base, { token: ADMIN })).json()) as { total: number; items: { id: string; eventType: string | null; reason: { category: string } }[] };
    expect(all.total).toBe(3);
    expect(all.items.map((i) => i.id)).toEqual(["m-1", "m-2", expect.stringMatching(/^raw-[0-9a-f]{24}$/)]);
    expect(all.items[0]).toMatchObject({ eventType: "script.created", correlationId: "corr-m-1", reason: { category: "system_error", attempts: 3 } });
    const timeouts = (await (await call(`${base}?category=timeout_error`, { token: ADMIN })).json()) as { total: number; items: { id: string }[] };
    expect(timeouts.items.map((i) => i.id)).toEqual(["m-2"]);
    const page = (await (await call(`${base}?limit=1&offset=1`, { token: ADMIN })).json()) as { total: number; items: { id: string }[] };
    expect(page).toMatchObject({ total: 3, offset: 1, limit: 1, items: [{ id: "m-2" }] });
  });

  it("reads one letter (envelope, or the raw body when there is none); 404 for an unknown id", async () => {
    await start();
    const one = (await (await call(`${base}/m-1`, { token: ADMIN })).json()) as Record<string, unknown>;
    expect(one).toMatchObject({ id: "m-1", envelope: { event_type: "script.created", payload: { script_id: "m-1" } }, headers: { [Headers.traceId]: "trace-1" } });
    expect(one.body).toBeUndefined();
    const rawId = (await inbox.list())[2]!.id;
    expect(await (await call(`${base}/${rawId}`, { token: ADMIN })).json()).toMatchObject({ id: rawId, envelope: null, body: "not json {" });
    const missing = await call(`${base}/nope`, { token: ADMIN });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { status: 404, message: "no dead letter nope" } });
  });

  it("replays a letter to its original topic without the failure headers, removes it and audit-logs the actor", async () => {
    await start();
    const res = await call(`${base}/m-1/replay`, { method: "POST", token: ADMIN });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: "m-1", status: "replayed", topic: TOPIC });
    await until("the replayed message", () => replayed.length === 1);
    const m = replayed[0]!;
    expect(JSON.parse(m.body.toString())).toMatchObject({ event_type: "script.created", metadata: { message_id: "m-1", correlation_id: "corr-m-1" } });
    expect(m.headers[Headers.traceId]).toBe("trace-1");
    expect(m.key).toBe("key-m-1"); // same partition key: the replay lands where the original did
    expect(m.headers[replayedAtHeader]).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (const h of [Headers.originalTopic, Headers.error, Headers.attempts, Headers.category, Headers.handler, Headers.failedAt]) expect(m.headers[h]).toBeUndefined();
    expect(await inbox.get("m-1")).toBeUndefined();
    expect(logger.entries).toContainEqual({
      level: "info",
      message: "DLQ audit: dead letter replayed",
      fields: { id: "m-1", actor: expect.stringMatching(/^admin:[0-9a-f]{8}$/), originalTopic: TOPIC, category: "system_error", action: "replay", topic: TOPIC },
    });
    expect((await call(`${base}/m-1/replay`, { method: "POST", token: ADMIN })).status).toBe(404);
  });

  it("keeps the letter when the replay fails: 502 when retriable, 422 when it cannot ever work", async () => {
    await start(seedUi, async () => {
      throw new Error("broker unreachable");
    });
    const res = await call(`${base}/m-1/replay`, { method: "POST", token: ADMIN });
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { status: 502, message: "replay of m-1 failed: broker unreachable" } });
    expect(await inbox.get("m-1")).toBeDefined();
    await server!.close();
    server = undefined;

    await inbox.add(letter("no-topic", "system_error", ""));
    await start(); // the real replay: a letter without its original topic cannot be replayed
    const res2 = await call(`${base}/no-topic/replay`, { method: "POST", token: ADMIN });
    expect(res2.status).toBe(422);
    expect(await inbox.get("no-topic")).toBeDefined();
    expect(logger.entries.filter((e) => e.message === "DLQ audit: replay failed; the letter stays in the inbox")).toHaveLength(2);
  });

  it("discards only with a reason, audit-logged", async () => {
    await start();
    const noReason = await call(`${base}/m-2/discard`, { method: "POST", token: ADMIN });
    expect(noReason.status).toBe(400);
    expect(await inbox.get("m-2")).toBeDefined();
    expect((await call(`${base}/m-2/discard`, { method: "POST", token: ADMIN, body: JSON.stringify({ reason: "   " }) })).status).toBe(400);
    const ok = await call(`${base}/m-2/discard`, { method: "POST", token: ADMIN, body: JSON.stringify({ reason: "test data, superseded by m-3" }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: "m-2", status: "discarded" });
    expect(await inbox.get("m-2")).toBeUndefined();
    expect(replayed).toEqual([]);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "info", message: "DLQ audit: dead letter discarded", fields: expect.objectContaining({ id: "m-2", action: "discard", reason: "test data, superseded by m-3", category: "timeout_error" }) }));
  });

  it("answers bad requests with JSON errors: 400 bad JSON, 413 large body, 405 wrong method, 404 unknown paths", async () => {
    await start();
    const badJson = await call(`${base}/m-2/discard`, { method: "POST", token: ADMIN, body: "{reason:" });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ error: { status: 400, message: "request body is not valid JSON" } });
    expect((await call(`${base}/m-2/discard`, { method: "POST", token: ADMIN, body: JSON.stringify({ reason: "x".repeat(20_000) }) })).status).toBe(413);
    expect((await call(`${base}/m-2/discard`, { method: "POST", token: ADMIN, body: "[1]" })).status).toBe(400);
    expect((await call(base, { method: "DELETE", token: ADMIN })).status).toBe(405);
    expect((await call(`${base}/m-1`, { method: "POST", token: ADMIN })).status).toBe(405);
    expect((await call(`${base}/m-1/replay`, { token: ADMIN })).status).toBe(405);
    expect((await call(`${base}/m-1/explode`, { method: "POST", token: ADMIN })).status).toBe(404);
    expect((await call(`${base}/m-1/replay/more`, { method: "POST", token: ADMIN })).status).toBe(404);
    expect((await call(`${base}/%E0%A4%A`, { token: ADMIN })).status).toBe(400);
    const outside = await call("/api/other", { token: ADMIN });
    expect(outside.status).toBe(404);
    expect(((await outside.json()) as { error: { message: string } }).error.message).toContain(base);
    expect(await inbox.get("m-2")).toBeDefined();
  });

  it("lets one request at a time work on a letter (409 for the second)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered = false;
    await start(seedUi, async () => {
      entered = true;
      await gate;
      return { topic: TOPIC };
    });
    const first = call(`${base}/m-1/replay`, { method: "POST", token: ADMIN });
    await until("the first replay to be in progress", () => entered);
    const second = await call(`${base}/m-1/discard`, { method: "POST", token: ADMIN, body: JSON.stringify({ reason: "dup" }) });
    expect(second.status).toBe(409);
    release();
    expect((await first).status).toBe(200);
  });

  it("authorization \"authenticated\" admits user tokens; authentication \"none\" admits anyone unless admin_only", async () => {
    await start({ ...seedUi, authorization: "authenticated" });
    expect((await call(base, { token: USER })).status).toBe(200);
    expect((await call(base)).status).toBe(401);
    await server!.close();

    await start({ ...seedUi, authentication: "none", authorization: "authenticated" });
    expect((await call(base)).status).toBe(200);
    await server!.close();

    await start({ ...seedUi, authentication: "none", authorization: "admin_only" });
    expect((await call(base)).status).toBe(401);
    expect((await call(base, { token: USER })).status).toBe(403);
    expect((await call(base, { token: ADMIN })).status).toBe(200);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: expect.stringContaining("admin tokens are required anyway") }));
  });

  it("takes its port from HYPC_DLQ_UI_PORT and rejects a bad one with a ConfigError", async () => {
    await expect(startDlqServer({ ui: seedUi, inbox, replay: replayToOriginalTopic(transport), logger, env: { ...env, HYPC_DLQ_UI_PORT: "http" } })).rejects.toThrow(
      'HYPC_DLQ_UI_PORT must be a port number 0..65535, not "http"',
    );
    // A free port: ask the OS for one, release it, then have the endpoint bind it.
    const probe = await startDlqServer({ ui: seedUi, inbox, replay: replayToOriginalTopic(transport), logger, env });
    const port = probe!.port;
    await probe!.close();
    server = await startDlqServer({ ui: seedUi, inbox, replay: replayToOriginalTopic(transport), logger, env: { ...env, HYPC_DLQ_UI_PORT: String(port) } });
    expect(server!.port).toBe(port);
  });

  it("does not start when ui.enabled is false", async () => {
    expect(await startDlqServer({ ui: { ...seedUi, enabled: false }, inbox, replay: replayToOriginalTopic(transport), logger, env })).toBeUndefined();
  });

  it("warns at start when no tokens are configured, then refuses everyone", async () => {
    server = await startDlqServer({ ui: seedUi, inbox, replay: replayToOriginalTopic(transport), logger, env: {} });
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: expect.stringContaining("no tokens configured") }));
    expect((await call(base, { token: ADMIN })).status).toBe(401);
  });
});
