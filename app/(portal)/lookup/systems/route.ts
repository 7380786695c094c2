import { NextResponse } from "next/server";
import { getLocale } from "next-intl/server";
import { fileRoute, queryOf } from "@/lib/http/download";
import { LookupQuery } from "@/lib/http/lookup";
import { lookupSystems } from "@/lib/systems/queries";
import { DomainError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** The system picker's typeahead (roster and findings filters): systems the actor may read, 20 at a time. */
export async function GET(request: Request) {
  return fileRoute("systems:read", undefined, async (actor) => {
    const query = queryOf(request, LookupQuery);
    if (query.parent) throw new DomainError("VALIDATION");
    return NextResponse.json(await lookupSystems(actor, query, await getLocale()), { headers: { "Cache-Control": "private, no-store" } });
  });
}
