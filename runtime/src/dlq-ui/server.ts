// The manual-processing endpoint of dead_letter_queue.dlq_handlers.<group>.ui, on node:http (127.0.0.1 by default):
//   GET  <endpoint>                 list letters (?limit, ?offset, ?category, ?topic), oldest first
//   GET  <endpoint>/<id>            one letter with its envelope / raw body and headers
//   POST <endpoint>/<id>/replay     republish to the original topic, then remove from the inbox
//   POST <endpoint>/<id>/discard    {"reason": "..."}: remove, audit-logged with the reason
// Access per ui.authentication / ui.authorization with bearer tokens (auth.ts). Errors are JSON
// `{error:{status,message}}`. Replays and discards are audit-logged with the actor, never with the token.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "../api.js";
import { ConfigError } from "../errors.js";
import { listen, type RunningServer } from "../monitoring/metrics-server.js";
import { TokenAuthenticator, type UiAccessConfig } from "./auth.js";
import { HttpError, readJsonBody, sendError, sendJson } from "./http.js";
import type { DeadLetterInbox, InboxEntry } from "./inbox.js";
import type { ReplayFn } from "./replay.js";

export interface DlqUiConfig extends UiAccessConfig {
  readonly enabled: boolean;
  readonly endpoint: string;
}

export interface DlqServerOptions {
  readonly ui: DlqUiConfig;
  readonly inbox: DeadLetterInbox;
  readonly replay: ReplayFn;
  readonly logger: Logger;
  /** Where the token lists are read (HYPC_DLQ_ADMIN_TOKENS, HYPC_DLQ_TOKENS); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly host?: string;
  /** Default: env HYPC_DLQ_UI_PORT, else 0 (ephemeral; read it from the result). */
  readonly port?: number;
  readonly maxBodyBytes?: number;
}

const MAX_REASON = 1000;

/** Starts the endpoint; undefined (and a log line) when ui.enabled is false. */
export async function startDlqServer(o: DlqServerOptions): Promise<RunningServer | undefined> {
  if (!o.ui.enabled) {
    o.logger.info("DLQ manual-processing UI is disabled (ui.enabled: false)");
    return undefined;
  }
  const env = o.env ?? process.env;
  const auth = new TokenAuthenticator(env);
  const base = normalizeBase(o.ui.endpoint);
  if (o.ui.authentication === "none" && o.ui.authorization === "admin_only") {
    o.logger.warn("DLQ UI: authentication \"none\" with authorization \"admin_only\": admin tokens are required anyway");
  }
  if (auth.configured === 0 && !(o.ui.authentication === "none" && o.ui.authorization !== "admin_only")) {
    o.logger.warn("DLQ UI: no tokens configured (HYPC_DLQ_ADMIN_TOKENS / HYPC_DLQ_TOKENS): every request will be refused");
  }
  const busy = new Set<string>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const rest = url.pathname === base ? "" : url.pathname.startsWith(base + "/") ? url.pathname.slice(base.length + 1) : undefined;
    if (rest === undefined) return sendError(res, 404, `not found; the DLQ endpoint is ${base}`);
    const decision = auth.decide(req.headers.authorization, o.ui);
    if (!decision.allowed) {
      o.logger.warn("DLQ UI: request refused", { method: req.method, path: url.pathname, status: decision.status, ...(decision.actor === undefined ? {} : { actor: decision.actor }) });
      return sendError(res, decision.status, decision.error, decision.status === 401 ? { "www-authenticate": 'Bearer realm="hypc-dlq"' } : {});
    }
    const parts = rest === "" ? [] : rest.split("/").map(decodePart);
    const method = req.method ?? "GET";
    if (parts.length === 0) {
      if (method !== "GET") return sendError(res, 405, "use GET to list dead letters", { allow: "GET" });
      return sendJson(res, 200, await listing(o.inbox, url.searchParams));
    }
    const [id, action, ...extra] = parts;
    if (id === undefined || id === "" || extra.length > 0) return sendError(res, 404, "not found");
    if (action === undefined) {
      if (method !== "GET") return sendError(res, 405, "use GET to read a dead letter", { allow: "GET" });
      const entry = await o.inbox.get(id);
      return entry === undefined ? sendError(res, 404, `no dead letter ${id}`) : sendJson(res, 200, detail(entry));
    }
    if (action !== "replay" && action !== "discard") return sendError(res, 404, `unknown action ${action} (replay, discard)`);
    if (method !== "POST") return sendError(res, 405, `use POST to ${action}`, { allow: "POST" });
    const body = await readJsonBody(req, o.maxBodyBytes ?? 16_384);
    if (busy.has(id)) return sendError(res, 409, `dead letter ${id} is being processed by another request`);
    busy.add(id);
    try {
      const entry = await o.inbox.get(id);
      if (entry === undefined) return sendError(res, 404, `no dead letter ${id}`);
      const audit = { id, actor: decision.actor, originalTopic: entry.letter.reason.originalTopic, category: entry.letter.reason.category };
      if (action === "discard") {
        const reason = body.reason;
        if (typeof reason !== "string" || reason.trim() === "") return sendError(res, 400, 'discard needs a JSON body {"reason": "<why>"}');
        await o.inbox.remove(id);
        o.logger.info("DLQ audit: dead letter discarded", { ...audit, action: "discard", reason: reason.slice(0, MAX_REASON) });
        return sendJson(res, 200, { id, status: "discarded" });
      }
      let topic: string;
      try {
        ({ topic } = await o.replay(entry.letter));
      } catch (error) {
        const retriable = (error as { retriable?: unknown }).retriable !== false;
        const message = error instanceof Error ? error.message : String(error);
        o.logger.warn("DLQ audit: replay failed; the letter stays in the inbox", { ...audit, action: "replay", error: message });
        return sendError(res, retriable ? 502 : 422, `replay of ${id} failed: ${message}`);
      }
      await o.inbox.remove(id);
      o.logger.info("DLQ audit: dead letter replayed", { ...audit, action: "replay", topic });
      return sendJson(res, 200, { id, status: "replayed", topic });
    } finally {
      busy.delete(id);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error.status, error.message);
      o.logger.error("DLQ UI: request failed", { method: req.method, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendError(res, 500, "internal error");
      else res.end();
    });
  });
  const port = o.port ?? portFromEnv(env.HYPC_DLQ_UI_PORT);
  const running = await listen(server, o.host ?? "127.0.0.1", port, base);
  o.logger.info("DLQ manual-processing UI listening", { url: running.url, authentication: o.ui.authentication, authorization: o.ui.authorization });
  return running;
}

function portFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`HYPC_DLQ_UI_PORT must be a port number 0..65535, not ${JSON.stringify(raw)}`);
  return port;
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, "malformed percent-encoding in the path");
  }
}

function normalizeBase(endpoint: string): string {
  const withSlash = endpoint.startsWith("/") ? endpoint : `/${endpoint}`;
  return withSlash.length > 1 ? withSlash.replace(/\/+$/, "") : withSlash;
}

async function listing(inbox: DeadLetterInbox, q: URLSearchParams): Promise<object> {
  const category = q.get("category");
  const topic = q.get("topic");
  const all = (await inbox.list()).filter((e) => (category === null || e.letter.reason.category === category) && (topic === null || e.letter.reason.originalTopic === topic));
  const offset = clampInt(q.get("offset"), 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = clampInt(q.get("limit"), 100, 1, 1000);
  return { total: all.length, offset, limit, items: all.slice(offset, offset + limit).map(summary) };
}

function summary(e: InboxEntry): object {
  const env = e.letter.envelope;
  return {
    id: e.id,
    receivedAt: e.receivedAt,
    eventType: env?.event_type ?? null,
    correlationId: env?.metadata?.correlation_id ?? null,
    reason: e.letter.reason,
  };
}

function detail(e: InboxEntry): object {
  return { ...summary(e), envelope: e.letter.envelope ?? null, body: e.letter.envelope === undefined ? e.letter.body : undefined, headers: e.letter.headers };
}

function clampInt(value: string | null, fallback: number, min: number, max: number): number {
  const n = value === null ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) ? Math.min(Math.max(n, min), max) : fallback;
}
