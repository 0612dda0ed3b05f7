// Token checks and the in-memory inbox: roles from the env lists, constant-time comparison paths, dedupe of
// redelivered letters, and a full inbox refusing (so the DLQ consumer redelivers/parks: never dropped).
import { describe, expect, it } from "vitest";
import type { DeadLetter } from "../../src/api.js";
import { TokenAuthenticator } from "../../src/dlq-ui/auth.js";
import { deadLetterId, inboxHandler, InboxFullError, MemoryDeadLetterInbox } from "../../src/dlq-ui/inbox.js";

const raw = (body: string, failedAt = "2026-01-01T00:00:00.000Z"): DeadLetter => ({ envelope: undefined, body, reason: { originalTopic: "t", error: "e", category: "validation_error", attempts: 1, handler: "H", failedAt }, headers: {} });

describe("TokenAuthenticator", () => {
  const auth = new TokenAuthenticator({ HYPC_DLQ_ADMIN_TOKENS: "a1, a2,,", HYPC_DLQ_TOKENS: "u1,a1" });
  const seed = { authentication: "required", authorization: "admin_only" } as const;

  it("reads roles from the env lists (a token in both lists is admin) and ignores blanks", () => {
    expect(auth.configured).toBe(4);
    expect(auth.roleOf("a1")).toBe("admin");
    expect(auth.roleOf("a2")).toBe("admin");
    expect(auth.roleOf("u1")).toBe("user");
    expect(auth.roleOf("")).toBeUndefined();
    expect(auth.roleOf("a")).toBeUndefined();
    expect(auth.roleOf("a1 ")).toBeUndefined();
  });

  it("decides per header: scheme, token, role", () => {
    expect(auth.decide("Bearer a2", seed)).toEqual({ allowed: true, role: "admin", actor: expect.stringMatching(/^admin:[0-9a-f]{8}$/) });
    expect(auth.decide("bearer   a2", seed)).toMatchObject({ allowed: true });
    expect(auth.decide("Bearer u1", seed)).toMatchObject({ allowed: false, status: 403 });
    expect(auth.decide("Bearer u1", { ...seed, authorization: "authenticated" })).toMatchObject({ allowed: true, role: "user" });
    expect(auth.decide("Bearer a2 extra", seed)).toMatchObject({ allowed: false, status: 401 });
    expect(auth.decide(undefined, seed)).toMatchObject({ allowed: false, status: 401 });
    // The actor names the token by a digest prefix, stable and different per token.
    const a = auth.decide("Bearer a1", seed);
    const b = auth.decide("Bearer a2", seed);
    expect(a.allowed && b.allowed && a.actor !== b.actor).toBe(true);
  });
});

describe("MemoryDeadLetterInbox", () => {
  it("keeps a redelivered letter once (same id), ids from message_id or a content hash", async () => {
    const inbox = new MemoryDeadLetterInbox();
    const first = await inbox.add(raw("x"));
    const again = await inbox.add(raw("x"));
    expect(again).toBe(first);
    expect(first.id).toBe(deadLetterId(raw("x")));
    expect(deadLetterId(raw("x", "2026-01-02T00:00:00.000Z"))).not.toBe(first.id);
    expect((await inbox.list()).length).toBe(1);
    expect(await inbox.remove(first.id)).toBe(true);
    expect(await inbox.remove(first.id)).toBe(false);
  });

  it("refuses letters beyond its capacity with a retriable error (the DLQ consumer then redelivers or parks)", async () => {
    const inbox = new MemoryDeadLetterInbox(2);
    const handler = inboxHandler(inbox);
    const context = {} as Parameters<typeof handler>[1];
    await handler(raw("1"), context);
    await handler(raw("2"), context);
    const refused = handler(raw("3"), context);
    await expect(refused).rejects.toBeInstanceOf(InboxFullError);
    await expect(refused).rejects.toMatchObject({ retriable: true });
    expect((await inbox.list()).map((e) => e.letter.body)).toEqual(["1", "2"]);
  });

  it("files the letter before the app's own handler runs; a failing app handler leaves it filed once", async () => {
    const inbox = new MemoryDeadLetterInbox();
    const seen: number[] = [];
    const handler = inboxHandler(inbox, async () => {
      seen.push((await inbox.list()).length);
      throw new Error("ticket system down");
    });
    const context = {} as Parameters<typeof handler>[1];
    await expect(handler(raw("a"), context)).rejects.toThrow("ticket system down");
    await expect(handler(raw("a"), context)).rejects.toThrow("ticket system down"); // the redelivery
    expect(seen).toEqual([1, 1]);
    expect((await inbox.list()).length).toBe(1);
  });
});
