import { NextResponse } from "next/server";
import { getLocale } from "next-intl/server";
import { fileRoute, queryOf } from "@/lib/http/download";
import { LookupQuery } from "@/lib/http/lookup";
import { lookupOrgUnits } from "@/lib/org/queries";
import { peopleScope } from "@/lib/people/queries";

export const dynamic = "force-dynamic";

/** The org-unit picker's typeahead and tree (components/ui/combobox.tsx): units in the actor's people scope, 20 at a time. */
export async function GET(request: Request) {
  return fileRoute("people:read", undefined, async (actor) => {
    const query = queryOf(request, LookupQuery);
    const page = await lookupOrgUnits(peopleScope(actor), query, await getLocale());
    return NextResponse.json(page, { headers: { "Cache-Control": "private, no-store" } });
  });
}
