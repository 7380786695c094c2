/**
 * Helpers for the REST API tests: tokens made through createApiToken (as a system administrator would),
 * and calls straight into the route handlers (app/api/v1/**) with a real Request.
 */
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { createApiToken } from "@/lib/api-tokens/create-api-token";
import type { ApiOperation } from "@/lib/api-tokens/operations";
import { grantRole } from "@/lib/grants/grant-role";
import { API_OPERATIONS } from "@/lib/api-tokens/operations";
import { makeActor, makeSystemWithRole, type SystemKind, uniq } from "./factories";

let admin: Awaited<ReturnType<typeof makeActor>> | null = null;

/** A system administrator (made once per test file). */
export async function tokenAdmin() {
  admin ??= await makeActor(["SYSTEM_ADMIN"]);
  return admin;
}

/** A token for these systems and operations (all operations unless given); returns the secret too. */
export async function makeApiToken(
  systemIds: string[],
  operations: readonly ApiOperation[] = API_OPERATIONS,
  opts: { validDays?: number; name?: string } = {},
) {
  const { actor } = await tokenAdmin();
  return inTransaction((tx) =>
    createApiToken(tx, actor, {
      name: opts.name ?? `Test integration ${uniq()}`,
      systemIds,
      operations: [...operations],
      validDays: opts.validDays ?? 30,
    }),
  );
}

type RouteHandler = (request: Request, context?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export type ApiCallOptions = {
  token?: string | null;
  actingAs?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  language?: string;
};

/** Calls a route handler as a client would; returns the status and parsed JSON body. */
export async function callApi(handler: RouteHandler, method: "GET" | "POST", path: string, opts: ApiCallOptions = {}) {
  const headers: Record<string, string> = { "accept-language": opts.language ?? "en", "user-agent": "vitest-api", ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.actingAs) headers["x-acting-as"] = opts.actingAs;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const request = new Request(`http://localhost/api/v1${path}`, { method, headers, body });
  const response = await handler(request, { params: Promise.resolve(opts.params ?? {}) });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json: any = text ? JSON.parse(text) : null;
  return { status: response.status, json, headers: response.headers };
}

/** A business system with one requestable job role (no permissions) and its account administrator. */
export async function systemWithRole(opts: { kind?: SystemKind } = {}) {
  const { system, role, admin } = await makeSystemWithRole({ kind: opts.kind ?? "BACK_END", role: { permissions: [] } });
  return { system, role, accountAdmin: admin };
}

/** A grant of the role to the person, by an account administrator of the system. */
export async function grantTo(admin: Actor, personId: string, roleId: string) {
  return inTransaction((tx) => grantRole(tx, admin, { personId, roleId, reason: "Test grant" }));
}

export async function tokenRow(id: string) {
  return getDb().apiToken.findUniqueOrThrow({ where: { id } });
}
