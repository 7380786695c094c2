import { DomainError } from "@/lib/errors";
import type { ApiHandlerContext, ApiHandlerResult } from "@/lib/http/api";
import type { getPersonAccess, listGrants } from "../routes";
import { findPersonKnownTo, findSystemByCode, lookupLiveGrants } from "../grants-lookup";

type ListGrants = typeof listGrants;
type PersonAccessRoute = typeof getPersonAccess;

/** GET /grants: live grants, within the token's systems (narrowed to one when systemCode is given). */
export async function listGrantsHandler(ctx: ApiHandlerContext<ListGrants>): Promise<ApiHandlerResult<ListGrants>> {
  const { query, token } = ctx;
  let systemIds = token.systemIds;
  if (query.systemCode) {
    const system = await findSystemByCode(query.systemCode);
    if (!system) throw new DomainError("NOT_FOUND", { field: "systemCode" });
    ctx.requireSystem(system.id);
    systemIds = [system.id];
  }
  const page = await lookupLiveGrants({ systemIds, employeeNo: query.employeeNo, after: query.cursor, limit: query.limit, now: ctx.now });
  return { body: page };
}

/**
 * GET /people/{employeeNo}/access: one person's live grants in the token's systems. Someone with no
 * account there is "not found", exactly like an unknown number (issue 9 §4).
 */
export async function personAccessHandler(ctx: ApiHandlerContext<PersonAccessRoute>): Promise<ApiHandlerResult<PersonAccessRoute>> {
  const person = await findPersonKnownTo(ctx.params.employeeNo, ctx.token.systemIds);
  if (!person) throw new DomainError("NOT_FOUND", { field: "employeeNo" });
  const page = await lookupLiveGrants({ systemIds: ctx.token.systemIds, employeeNo: person.employeeNo, limit: 500, now: ctx.now });
  return {
    body: { person: { employeeNo: person.employeeNo, name: person.name, status: person.status }, grants: page.data },
    resourceId: person.id,
  };
}
