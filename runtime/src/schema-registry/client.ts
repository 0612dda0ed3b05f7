// A client for the few endpoints of the Confluent Schema Registry REST API the runtime needs (Apicurio serves the
// same API under /apis/ccompat/v7; give that prefix in the url). JSON Schemas only (schemaType "JSON").
//  register: POST /subjects/<subject>/versions            {schema, schemaType} → {id}
//  latest:   GET  /subjects/<subject>/versions/latest      → {id, version, schema} (404: not registered)
//  check:    POST /compatibility/subjects/<subject>/versions/latest {schema, schemaType} → {is_compatible}
// Ids are cached per subject and schema text, so a second start-up against the same registry asks nothing new.
import { ConfigError, TransportError } from "../errors.js";

export interface SchemaRegistryClientOptions {
  /** Base url, e.g. http://127.0.0.1:8081 or http://127.0.0.1:8080/apis/ccompat/v7. */
  readonly url: string;
  /** Per request, ms. Default 10,000. */
  readonly timeoutMs?: number;
}

/** The registry could not be reached at all (connection refused, DNS, timeout): retriable, maybe optional. */
export class SchemaRegistryUnreachable extends TransportError {}

export interface RegistryResponse {
  readonly status: number;
  readonly body: unknown;
}

const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

export class SchemaRegistryClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly ids = new Map<string, number>();

  constructor(options: SchemaRegistryClientOptions) {
    this.base = options.url.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  get url(): string {
    return this.base;
  }

  /** Registers (or finds: registering the same schema again returns its id) the schema under `subject`. */
  async register(subject: string, schema: string): Promise<number> {
    const cached = this.ids.get(cacheKey(subject, schema));
    if (cached !== undefined) return cached;
    const res = await this.call("POST", `/subjects/${encodeURIComponent(subject)}/versions`, { schema, schemaType: "JSON" });
    if (res.status !== 200) throw this.refused(`registering the schema of subject ${subject}`, res);
    const id = idOf(res.body);
    if (id === undefined) throw new ConfigError(`schema registry ${this.base} answered registering subject ${subject} without an id: ${JSON.stringify(res.body)}`);
    this.ids.set(cacheKey(subject, schema), id);
    return id;
  }

  /**
   * auto_register: false — the subject must exist and our schema must be compatible with its latest version;
   * returns the latest version's id. Throws ConfigError otherwise, saying which.
   */
  async checkCompatible(subject: string, schema: string): Promise<number> {
    const cached = this.ids.get(cacheKey(subject, schema));
    if (cached !== undefined) return cached;
    const latest = await this.call("GET", `/subjects/${encodeURIComponent(subject)}/versions/latest`);
    if (latest.status === 404) {
      throw new ConfigError(`subject ${subject} is not registered in schema registry ${this.base}, and auto_register is false: register its schema first (or set auto_register: true)`);
    }
    if (latest.status !== 200) throw this.refused(`reading the latest version of subject ${subject}`, latest);
    const id = idOf(latest.body);
    if (id === undefined) throw new ConfigError(`schema registry ${this.base} answered the latest version of subject ${subject} without an id: ${JSON.stringify(latest.body)}`);
    const check = await this.call("POST", `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`, { schema, schemaType: "JSON" });
    if (check.status !== 200) throw this.refused(`checking compatibility with subject ${subject}`, check);
    const compatible = typeof check.body === "object" && check.body !== null && (check.body as { is_compatible?: unknown }).is_compatible === true;
    if (!compatible) {
      const messages = (check.body as { messages?: unknown } | null)?.messages;
      throw new ConfigError(
        `the event schema for subject ${subject} is not compatible with its latest registered version (id ${id}) in schema registry ${this.base}${Array.isArray(messages) && messages.length > 0 ? `: ${messages.join("; ")}` : ""}`,
      );
    }
    this.ids.set(cacheKey(subject, schema), id);
    return id;
  }

  private async call(method: "GET" | "POST", path: string, body?: unknown): Promise<RegistryResponse> {
    const url = `${this.base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? { accept: CONTENT_TYPE } : { accept: CONTENT_TYPE, "content-type": CONTENT_TYPE },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new SchemaRegistryUnreachable(`schema registry ${this.base} is unreachable (${method} ${path}: ${why})`, { retriable: true, cause: error });
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: response.status, body: parsed };
  }

  private refused(what: string, res: RegistryResponse): ConfigError {
    const body = res.body as { error_code?: unknown; message?: unknown } | undefined;
    const detail = typeof body === "object" && body !== null && body.message !== undefined ? `${String(body.error_code ?? "")} ${String(body.message)}`.trim() : JSON.stringify(res.body);
    return new ConfigError(`schema registry ${this.base} refused ${what}: HTTP ${res.status} ${detail}`);
  }
}

function idOf(body: unknown): number | undefined {
  const id = typeof body === "object" && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === "number" ? id : undefined;
}

function cacheKey(subject: string, schema: string): string {
  return `${subject}\u0000${schema}`;
}
