import { randomUUID } from "node:crypto";
import { inTransaction, type Tx } from "@/lib/db";
import type { Actor, RequestContext } from "@/lib/authz/actor";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { authenticateApiToken, tokenAllows, type ApiTokenIdentity } from "@/lib/api-tokens/authenticate";
import { recordApiCall } from "@/lib/api-tokens/record-api-call";
import { secondsToNextWindow, takeCall } from "@/lib/api/rate-limit";
import { auditRefusal, tokenActor, touch } from "@/lib/http/api";
import { clientIp } from "@/lib/http/request-context";
import { scimErrorOf, ScimError } from "./scim-user";

// The HR feed's HTTP side (/scim/v2, RFC 7644): a bearer API token with the "hr:write" operation, the
// shared call budget, every call audited (writes in their own transaction, with the change), SCIM
// errors for every refusal and application/scim+json answers.

export const SCIM_CONTENT_TYPE = "application/scim+json";
export const MAX_SCIM_BODY = 1_048_576;

export function scimBase(): string {
  return `${env().PORTAL_URL.replace(/\/+$/, "")}/scim/v2`;
}

export type ScimResult = { status: number; body?: unknown; location?: string; resourceId?: string | null };

export type ScimContext = { actor: Actor; token: ApiTokenIdentity; base: string; now: Date; request: Request; body: unknown };

type Handler =
  { kind: "read"; run: (c: ScimContext) => Promise<ScimResult> } | { kind: "write"; run: (tx: Tx, c: ScimContext) => Promise<ScimResult> };

export function scimResponse(result: ScimResult): Response {
  const headers: Record<string, string> = { "content-type": SCIM_CONTENT_TYPE, "cache-control": "no-store" };
  if (result.location) headers.location = result.location;
  return new Response(result.body === undefined ? null : JSON.stringify(result.body), { status: result.status, headers });
}

export async function readScimBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_SCIM_BODY) throw new ScimError(413, null, `The body is larger than ${MAX_SCIM_BODY} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > MAX_SCIM_BODY) throw new ScimError(413, null, `The body is larger than ${MAX_SCIM_BODY} bytes.`);
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ScimError(400, "invalidSyntax", "The body is not valid JSON.");
  }
}

/** Runs one SCIM call for the route template `route` (e.g. "/scim/v2/Users/{id}"). */
export async function serveScim(request: Request, route: string, handler: Handler): Promise<Response> {
  const now = new Date();
  const h = request.headers;
  const incoming = h.get("x-request-id");
  const ctx: RequestContext = {
    requestId: incoming && /^[\w-]{1,100}$/.test(incoming) ? incoming : randomUUID(),
    ip: clientIp(h),
    userAgent: h.get("user-agent")?.slice(0, 500) ?? null,
  };
  const call = { method: request.method, route };
  const check = await authenticateApiToken(h.get("authorization"), now).catch((error: unknown) => {
    log.error({ err: error, requestId: ctx.requestId }, "SCIM token lookup failed");
    return null;
  });
  if (!check) return scimResponse({ status: 500, body: new ScimError(500, null, "Internal error.").body() });
  if (!check.ok) {
    const refused = new ScimError(401, null, "A valid bearer token is required.");
    if (check.token) await auditRefusal(tokenActor(check.token, ctx), check.token, { ...call, status: 401, code: check.code });
    else log.warn({ requestId: ctx.requestId, ip: ctx.ip, route, code: check.code }, "SCIM call refused");
    return scimResponse({ status: 401, body: refused.body() });
  }
  const token = check.token;
  ctx.apiToken = { id: token.id, prefix: token.prefix };
  const actor = tokenActor(token, ctx);
  let resourceId: string | null | undefined;
  try {
    if (!tokenAllows(token, "hr:write"))
      throw new ScimError(403, null, "This token may not use the HR feed (it needs the hr:write operation).");
    if (!(await takeCall(token.id))) throw new ScimError(429, null, `Too many calls; try again in ${secondsToNextWindow()} s.`);
    const body = request.method === "GET" || request.method === "DELETE" ? undefined : await readScimBody(request);
    const c: ScimContext = { actor, token, base: scimBase(), now, request, body };
    let result: ScimResult;
    if (handler.kind === "write") {
      result = await inTransaction(
        async (tx) => {
          const r = await handler.run(tx, c);
          await recordApiCall(tx, actor, token, { ...call, status: r.status, resourceId: r.resourceId });
          return r;
        },
        { timeoutMs: 60_000 },
      );
    } else {
      result = await handler.run(c);
      resourceId = result.resourceId;
      await inTransaction((tx) => recordApiCall(tx, actor, token, { ...call, status: result.status, resourceId }));
    }
    await touch(token.id, now);
    return scimResponse(result);
  } catch (error) {
    const scim = scimErrorOf(error);
    if (!scim) log.error({ err: error, requestId: ctx.requestId, route }, "unexpected error in a SCIM call");
    const failed = scim ?? new ScimError(500, null, `Internal error (request ${ctx.requestId}).`);
    await auditRefusal(actor, token, { ...call, status: failed.status, code: failed.scimType ?? String(failed.status), resourceId });
    await touch(token.id, now);
    const response = scimResponse({ status: failed.status, body: failed.body() });
    if (failed.status === 429) response.headers.set("Retry-After", String(secondsToNextWindow()));
    return response;
  }
}
