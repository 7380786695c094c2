import { randomUUID } from "node:crypto";
import { APP_TIME_ZONE, isoInZone } from "@/lib/time/calendar";
import { createTranslator } from "next-intl";
import { ZodError, type z } from "zod";
import { inTransaction, type Tx } from "@/lib/db";
import { systemActor, type Actor, type PersonActor, type RequestContext, type SystemActor } from "@/lib/authz/actor";
import { DomainError, ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { log } from "@/lib/log";
import { messagesFor } from "@/i18n/messages";
import { localeFromAcceptLanguage, type Locale } from "@/i18n/config";
import { authenticateApiToken, tokenAllows, tokenCoversSystem, type ApiTokenIdentity } from "@/lib/api-tokens/authenticate";
import { loadActingPerson } from "@/lib/api-tokens/acting-person";
import { recordApiCall, touchApiToken } from "@/lib/api-tokens/record-api-call";
import type { ApiRouteSpec, ErrorBody } from "@/lib/api/contract";
import { secondsToNextWindow, takeCall } from "@/lib/api/rate-limit";
import { clientIp } from "./request-context";

// The REST API's pipeline (/api/v1): bearer token → operation scope → budget → input validated with the
// route's zod schemas → the person acted for → the handler (writes: in one transaction with their
// "api.called" audit row) → JSON. Every failure is a JSON error with a code and a translated message,
// and a refused or failed call changes nothing but its own audit row.

export const ACTING_AS_HEADER = "X-Acting-As";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
const MAX_BODY_BYTES = 64 * 1024;
// Namespaced per token before it reaches the use case (api-<prefix>-<key>), hence at most 80 characters.
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,80}$/;

type Out<T> = [NonNullable<T>] extends [z.ZodType] ? z.output<NonNullable<T>> : undefined;

export type ApiHandlerContext<S extends ApiRouteSpec> = {
  token: ApiTokenIdentity;
  // The person acted for (X-Acting-As), or the token itself as a system actor.
  actor: Actor;
  person: S["actingAs"] extends "required" ? PersonActor : null;
  params: Out<S["params"]>;
  query: Out<S["query"]>;
  body: Out<S["body"]>;
  idempotencyKey: string | undefined;
  // Refuses (TOKEN_SCOPE) unless the token covers this business system.
  requireSystem: (systemId: string | null | undefined) => void;
  now: Date;
  // Aborted when the client goes away (long polls stop waiting).
  signal: AbortSignal;
};

export type ApiHandlerResult<S extends ApiRouteSpec> = { body: z.input<S["response"]>; resourceId?: string | null };

type Handler<S extends ApiRouteSpec> = S["kind"] extends "write"
  ? (tx: Tx, ctx: ApiHandlerContext<S>) => Promise<ApiHandlerResult<S>>
  : (ctx: ApiHandlerContext<S>) => Promise<ApiHandlerResult<S>>;

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** Field errors found while reading the input (path, query, body, headers), as message keys. */
class InputError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super("invalid input");
  }
}

export function tokenActor(token: Pick<ApiTokenIdentity, "prefix" | "name">, ctx: RequestContext): SystemActor {
  return systemActor(`api-token:${token.prefix} (${token.name})`.slice(0, 200), ctx);
}

/** The route handler for one spec: `export const POST = apiRoute(spec, handler)`. */
export function apiRoute<S extends ApiRouteSpec>(spec: S, handler: Handler<S>) {
  return async function route(request: Request, context?: RouteContext): Promise<Response> {
    const now = new Date();
    const headers = request.headers;
    const incoming = headers.get("x-request-id");
    const ctx: RequestContext = {
      requestId: incoming && /^[\w-]{1,100}$/.test(incoming) ? incoming : randomUUID(),
      ip: clientIp(headers),
      userAgent: headers.get("user-agent")?.slice(0, 500) ?? null,
    };
    const locale = localeFromAcceptLanguage(headers.get("accept-language"));
    const route = `/api/v1${spec.path}`;
    const call = { method: spec.method, route };

    const check = await authenticateApiToken(headers.get("authorization"), now).catch((error: unknown) => {
      log.error({ err: error, requestId: ctx.requestId }, "API token lookup failed");
      return null;
    });
    if (!check) return errorResponse(new Error("token lookup failed"), locale, ctx.requestId).response;
    if (!check.ok) {
      const failed = errorResponse(new DomainError(check.code), locale, ctx.requestId);
      // A known token (expired, revoked) is a use worth recording; random garbage is only logged.
      if (check.token)
        await auditRefusal(tokenActor(check.token, { ...ctx, apiToken: { id: check.token.id, prefix: check.token.prefix } }), check.token, {
          ...call,
          status: failed.status,
          code: check.code,
        });
      else log.warn({ requestId: ctx.requestId, ip: ctx.ip, route, code: check.code }, "API call refused");
      return failed.response;
    }

    const token = check.token;
    ctx.apiToken = { id: token.id, prefix: token.prefix };
    let actor: Actor = tokenActor(token, ctx);
    let resourceId: string | null | undefined;
    try {
      if (!tokenAllows(token, spec.operation)) throw new DomainError("TOKEN_SCOPE", { params: { operation: spec.operation } });
      if (!(await takeCall(token.id))) throw new DomainError("RATE_LIMITED", { params: { seconds: secondsToNextWindow() } });
      const input = await readInput(spec, request, context);
      let person: PersonActor | null = null;
      if (spec.actingAs === "required") {
        const employeeNo = headers.get(ACTING_AS_HEADER)?.trim();
        if (!employeeNo) throw new InputError({ [ACTING_AS_HEADER]: "required" });
        person = await loadActingPerson(employeeNo, ctx);
        if (!person)
          throw new DomainError("ACTING_PERSON_INVALID", { field: ACTING_AS_HEADER, params: { employeeNo: employeeNo.slice(0, 32) } });
        actor = person;
      }
      const handlerContext = {
        token,
        actor,
        person,
        ...input,
        now,
        signal: request.signal,
        requireSystem: (systemId: string | null | undefined) => {
          if (!tokenCoversSystem(token, systemId)) throw new DomainError("TOKEN_SCOPE", { params: { system: systemId ?? "-" } });
        },
      } as ApiHandlerContext<S>;
      const status = spec.successStatus;
      let result: ApiHandlerResult<S>;
      if (spec.kind === "write") {
        result = await inTransaction(async (tx) => {
          const r = await (handler as (tx: Tx, c: ApiHandlerContext<S>) => Promise<ApiHandlerResult<S>>)(tx, handlerContext);
          await recordApiCall(tx, actor, token, { ...call, status, resourceId: r.resourceId });
          return r;
        });
      } else {
        result = await (handler as (c: ApiHandlerContext<S>) => Promise<ApiHandlerResult<S>>)(handlerContext);
        resourceId = result.resourceId;
        await inTransaction((tx) => recordApiCall(tx, actor, token, { ...call, status, resourceId }));
      }
      await touch(token.id, now);
      return Response.json(result.body, { status, headers: responseHeaders(ctx.requestId) });
    } catch (error) {
      const failed = errorResponse(error, locale, ctx.requestId);
      await auditRefusal(actor, token, { ...call, status: failed.status, code: failed.body.error.code, resourceId });
      await touch(token.id, now);
      if (failed.status === 429) failed.response.headers.set("Retry-After", String(secondsToNextWindow()));
      return failed.response;
    }
  };
}

/** Records a refused call in a transaction of its own (never fails the answer). */
export async function auditRefusal(actor: Actor, token: Pick<ApiTokenIdentity, "id" | "name">, call: Parameters<typeof recordApiCall>[3]) {
  try {
    await inTransaction((tx) => recordApiCall(tx, actor, token, call));
  } catch (error) {
    log.error({ err: error, requestId: actor.ctx.requestId }, "could not audit a refused API call");
  }
}

/** Marks the token used, outside the call's transaction (never fails the answer). */
export async function touch(tokenId: string, now: Date) {
  try {
    await touchApiToken(tokenId, now);
  } catch (error) {
    log.warn({ err: error }, "could not mark the API token as used");
  }
}

function responseHeaders(requestId: string): HeadersInit {
  return { "x-request-id": requestId, "cache-control": "no-store" };
}

async function readInput(spec: ApiRouteSpec, request: Request, context: RouteContext | undefined) {
  const fields: Record<string, string> = {};
  const parse = (schema: z.ZodType | undefined, value: unknown, prefix: string) => {
    if (!schema) return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    Object.assign(fields, zodFields(parsed.error, prefix));
    return undefined;
  };
  const rawParams = context ? await context.params : {};
  const params = parse(spec.params, rawParams, "");
  const query = parse(spec.query, Object.fromEntries(new URL(request.url).searchParams), "");
  let body: unknown = undefined;
  if (spec.body) {
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > MAX_BODY_BYTES) throw new DomainError("PAYLOAD_TOO_LARGE", { params: { bytes: MAX_BODY_BYTES } });
    const text = await request.text();
    if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES) throw new DomainError("PAYLOAD_TOO_LARGE", { params: { bytes: MAX_BODY_BYTES } });
    let json: unknown = {};
    if (text.trim()) {
      try {
        json = JSON.parse(text);
      } catch {
        throw new DomainError("MALFORMED_JSON");
      }
    }
    body = parse(spec.body, json, "");
  }
  let idempotencyKey: string | undefined;
  if (spec.idempotencyKey) {
    const raw = request.headers.get(IDEMPOTENCY_HEADER)?.trim();
    if (raw && !IDEMPOTENCY_KEY.test(raw)) fields[IDEMPOTENCY_HEADER] = "invalid";
    else idempotencyKey = raw || undefined;
  }
  if (Object.keys(fields).length) throw new InputError(fields);
  return { params, query, body, idempotencyKey };
}

/** Zod issues as { "path.to.field": message key } (the first issue per path). */
function zodFields(error: ZodError, prefix: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = prefix + (issue.path.length ? issue.path.map(String).join(".") : "_");
    if (fields[key]) continue;
    fields[key] = messageKey(issue);
  }
  return fields;
}

const VALIDATION_KEYS = new Set(Object.keys((messagesFor("en") as { validation: Record<string, string> }).validation));

function messageKey(issue: ZodError["issues"][number]): string {
  if (VALIDATION_KEYS.has(issue.message)) return issue.message;
  if (issue.code === "invalid_type" && (issue as { input?: unknown }).input === undefined) return "required";
  if (issue.code === "too_big") return "too-long";
  return "invalid";
}

function translator(locale: Locale) {
  return createTranslator({
    locale,
    // Times in messages are the portal's, as on every page (not the server's UTC).
    timeZone: APP_TIME_ZONE,
    messages: messagesFor(locale) as Parameters<typeof createTranslator>[0]["messages"],
    onError: () => {},
    getMessageFallback: ({ key }) => key,
  });
}

function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}

/** Any failure as the API's JSON error: a DomainError with its status, input errors as 400, the rest 500. */
export function errorResponse(error: unknown, locale: Locale, requestId: string): { status: number; body: ErrorBody; response: Response } {
  const t = translator(locale);
  const tr = (key: string, params?: Record<string, string | number>) => (t.has(key) ? t(key, params) : undefined);
  let code: ErrorCode | "UNEXPECTED";
  let status: number;
  let message: string;
  const extra: Omit<ErrorBody["error"], "code" | "message" | "requestId"> = {};
  if (error instanceof InputError || error instanceof ZodError) {
    code = "VALIDATION";
    status = 400;
    message = tr("errors.VALIDATION") ?? code;
    const keys = error instanceof InputError ? error.fields : zodFields(error, "");
    extra.fields = Object.fromEntries(Object.entries(keys).map(([field, key]) => [field, tr(`validation.${key}`) ?? key]));
  } else if (error instanceof DomainError) {
    code = error.code;
    status = ERROR_STATUS[error.code];
    const shown: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(error.params))
      shown[k] = (k === "held" || k === "wanted") && typeof v === "string" ? (tr(`roles.${v}`) ?? v) : v;
    message = tr(`apiErrors.${code}`, shown) ?? tr(`errors.${code}`, shown) ?? code;
    if (error.field) extra.fields = { [error.field]: message };
    if (code === "POLICY_VIOLATION" && Array.isArray(error.details)) {
      extra.violations = (error.details as { code: string; params?: Record<string, string> }[]).map((v) => ({
        code: v.code,
        message: tr(`policy.${v.code}`, v.params) ?? v.code,
      }));
    }
    // Times in params are epoch milliseconds (the messages format them); callers get ISO 8601 with the
    // portal's offset.
    const params = Object.fromEntries(
      Object.entries(error.params).map(([k, v]) => [k, k === "when" && typeof v === "number" ? isoInZone(new Date(v)) : v]),
    );
    const details = {
      ...params,
      ...(error.details && typeof error.details === "object" && !Array.isArray(error.details)
        ? (error.details as Record<string, unknown>)
        : {}),
    };
    if (Object.keys(details).length) extra.details = jsonSafe(details) as Record<string, unknown>;
  } else if (isUniqueViolation(error)) {
    // The database settled a race the application check lost: the other call won.
    code = "CONFLICT";
    status = 409;
    message = tr("errors.CONFLICT") ?? code;
  } else {
    log.error({ err: error, requestId }, "unexpected error in API call");
    code = "UNEXPECTED";
    status = 500;
    message = tr("errors.UNEXPECTED") ?? code;
  }
  const body: ErrorBody = { error: { code, message, ...extra, requestId } };
  return { status, body, response: Response.json(body, { status, headers: responseHeaders(requestId) }) };
}
