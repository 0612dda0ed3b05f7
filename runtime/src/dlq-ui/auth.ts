// Bearer-token authentication of the DLQ endpoint. Tokens come from the environment: HYPC_DLQ_ADMIN_TOKENS (role
// admin) and HYPC_DLQ_TOKENS (role user), comma-separated. Presented tokens are compared in constant time against
// every configured token (SHA-256 digests of equal length, timingSafeEqual, no early exit). Tokens are never
// logged: requests are attributed to `<role>:<first 8 hex of the token's SHA-256>`.
import { createHash, timingSafeEqual } from "node:crypto";

export type Role = "admin" | "user";

export interface UiAccessConfig {
  readonly authentication: "required" | "none";
  readonly authorization: "admin_only" | "authenticated";
}

export type AccessDecision =
  | { readonly allowed: true; readonly actor: string; readonly role: Role | "anonymous" }
  | { readonly allowed: false; readonly status: 401 | 403; readonly error: string; readonly actor?: string };

interface KnownToken {
  readonly digest: Buffer;
  readonly role: Role;
}

export class TokenAuthenticator {
  private readonly tokens: readonly KnownToken[];

  constructor(env: Readonly<Record<string, string | undefined>>) {
    const parse = (value: string | undefined, role: Role): KnownToken[] =>
      (value ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t.length > 0)
        .map((t) => ({ digest: sha256(t), role }));
    // Admin first: a token in both lists is an admin token.
    this.tokens = [...parse(env.HYPC_DLQ_ADMIN_TOKENS, "admin"), ...parse(env.HYPC_DLQ_TOKENS, "user")];
  }

  get configured(): number {
    return this.tokens.length;
  }

  /** The role of a presented token, or undefined. Time does not depend on which token matched, or where. */
  roleOf(token: string): Role | undefined {
    const digest = sha256(token);
    let role: Role | undefined;
    for (const known of this.tokens) {
      const match = timingSafeEqual(digest, known.digest);
      if (match && role === undefined) role = known.role;
    }
    return role;
  }

  /** Decides a request from its Authorization header. */
  decide(authorization: string | undefined, access: UiAccessConfig): AccessDecision {
    // authentication "none" with admin_only contradicts itself: the stricter reading (tokens required) wins.
    const open = access.authentication === "none" && access.authorization !== "admin_only";
    const token = bearerToken(authorization);
    if (token === undefined) {
      if (open) return { allowed: true, actor: "anonymous", role: "anonymous" };
      return { allowed: false, status: 401, error: "authentication required: send Authorization: Bearer <token>" };
    }
    const role = this.roleOf(token);
    if (role === undefined) {
      if (open) return { allowed: true, actor: "anonymous", role: "anonymous" };
      return { allowed: false, status: 401, error: "invalid token" };
    }
    const actor = `${role}:${sha256(token).toString("hex").slice(0, 8)}`;
    if (access.authorization === "admin_only" && role !== "admin") return { allowed: false, status: 403, error: "admin role required", actor };
    return { allowed: true, actor, role };
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return m?.[1];
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
