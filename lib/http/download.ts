import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import type { PersonActor } from "@/lib/authz/actor";
import { can, type Resource } from "@/lib/authz/can";
import type { Permission } from "@/lib/authz/permissions";
import { getActor } from "@/lib/auth/get-actor";
import { DomainError } from "@/lib/errors";
import { translateDomainError } from "./action-state";

/**
 * The shared start of the portal's file routes (exports, import templates), which answer a refusal as
 * JSON `{ code, message }` (translated) instead of redirecting: no signed-in person → 401
 * UNAUTHENTICATED; not allowed `permission` (on `resource`) → 403 FORBIDDEN; then `respond`, where a
 * DomainError (a query that does not fit, see queryOf: 400 VALIDATION; a refused use case) is answered
 * with its code's status.
 */
export async function fileRoute(
  permission: Permission,
  resource: Resource | undefined,
  respond: (actor: PersonActor) => Promise<Response> | Response,
): Promise<Response> {
  const actor = await getActor();
  const t = await getTranslations("errors");
  if (!actor) return NextResponse.json({ code: "UNAUTHENTICATED", message: t("UNAUTHENTICATED") }, { status: 401 });
  if (!can(actor, permission, resource)) return NextResponse.json({ code: "FORBIDDEN", message: t("FORBIDDEN") }, { status: 403 });
  try {
    return await respond(actor);
  } catch (error) {
    if (error instanceof DomainError)
      return NextResponse.json({ code: error.code, message: await translateDomainError(error) }, { status: error.status });
    throw error;
  }
}

/** The request's query parameters read with `schema`; a DomainError VALIDATION (400 in fileRoute) when they do not fit. */
export function queryOf<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new DomainError("VALIDATION");
  return parsed.data;
}
