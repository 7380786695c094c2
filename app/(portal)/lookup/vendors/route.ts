import { NextResponse } from "next/server";
import { can } from "@/lib/authz/can";
import { fileRoute, queryOf } from "@/lib/http/download";
import { LookupQuery } from "@/lib/http/lookup";
import { lookupVendors } from "@/lib/vendors/queries";
import { DomainError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** The vendor picker's typeahead: for whoever reads vendors or records third parties (HR), 20 at a time. */
export async function GET(request: Request) {
  return fileRoute("people:read", undefined, async (actor) => {
    if (!can(actor, "vendors:read") && !can(actor, "people:manage")) throw new DomainError("FORBIDDEN");
    const query = queryOf(request, LookupQuery);
    if (query.parent) throw new DomainError("VALIDATION");
    return NextResponse.json(await lookupVendors(query), { headers: { "Cache-Control": "private, no-store" } });
  });
}
