// A small SCIM 2.0 client (RFC 7644) for delivering the outbox to a business system: JSON over HTTP with
// a bearer token or basic auth, a timeout on every call, and no exception for an HTTP error status (the
// caller decides what a 404 or 409 means for its operation). Network failures and timeouts come back as
// `status: null` so they are retried like a 503.

export const SCIM_CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const SCIM_PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export type ScimCredentials = { baseUrl: string; auth: "BEARER" | "BASIC"; secret: string };

export type ScimResponse = { status: number | null; body: unknown; error?: string; request: string; durationMs: number };

export type ScimUser = {
  id: string;
  userName?: string;
  externalId?: string;
  active?: boolean;
  roles?: { value: string }[];
  entitlements?: { value: string }[];
};

const DEFAULT_TIMEOUT_MS = 10_000;

function authorization(c: ScimCredentials): string {
  return c.auth === "BEARER" ? `Bearer ${c.secret}` : `Basic ${Buffer.from(c.secret, "utf8").toString("base64")}`;
}

/** Quotes a value inside a SCIM filter string: "…" with \ and " escaped. */
export function scimString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export async function scimCall(
  c: ScimCredentials,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
  opts: { timeoutMs?: number; label?: string } = {},
): Promise<ScimResponse> {
  const url = `${c.baseUrl.replace(/\/+$/, "")}${path}`;
  // The attempt log names the call without ids or query values (no personal data in the log).
  const request = `${method} ${opts.label ?? path.split("?")[0]}`;
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method,
      headers: {
        Accept: "application/scim+json, application/json",
        Authorization: authorization(c),
        ...(body === undefined ? {} : { "Content-Type": "application/scim+json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: "error",
    });
    const text = await res.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    const durationMs = Math.round(performance.now() - started);
    const detail = res.ok ? undefined : (scimErrorDetail(parsed) ?? `HTTP ${res.status}`);
    return { status: res.status, body: parsed, error: detail, request, durationMs };
  } catch (e) {
    const durationMs = Math.round(performance.now() - started);
    const error =
      e instanceof Error ? (e.name === "TimeoutError" ? "timeout" : e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    return { status: null, body: null, error: error.slice(0, 500), request, durationMs };
  }
}

function scimErrorDetail(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as { detail?: unknown; scimType?: unknown; status?: unknown };
  const parts = [b.scimType, b.detail].filter((p): p is string => typeof p === "string" && p.length > 0);
  return parts.length ? parts.join(": ").slice(0, 500) : undefined;
}

/** The first user of a ListResponse, or null. */
export function firstResource(body: unknown): ScimUser | null {
  if (!body || typeof body !== "object") return null;
  const resources = (body as { Resources?: unknown }).Resources;
  if (!Array.isArray(resources) || resources.length === 0) return null;
  const first = resources[0] as ScimUser;
  return typeof first?.id === "string" ? first : null;
}

export function asUser(body: unknown): ScimUser | null {
  return body && typeof body === "object" && typeof (body as ScimUser).id === "string" ? (body as ScimUser) : null;
}

/** Whether a status is worth retrying later (the system is down, slow or busy), as opposed to settled. */
export function isTransient(status: number | null): boolean {
  return status === null || status === 408 || status === 429 || status >= 500;
}
