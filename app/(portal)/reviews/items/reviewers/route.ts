import { NextResponse } from "next/server";
import { fileRoute, queryOf } from "@/lib/http/download";
import { LookupQuery } from "@/lib/http/lookup";
import { DomainError } from "@/lib/errors";
import { lookupReviewers } from "@/lib/reviews/inbox-queries";

export const dynamic = "force-dynamic";

/** The reassign picker's typeahead (review items): eligible people, 20 at a time. */
export async function GET(request: Request) {
  return fileRoute("self:review", undefined, async (actor) => {
    const query = queryOf(request, LookupQuery);
    if (query.parent) throw new DomainError("VALIDATION");
    return NextResponse.json(await lookupReviewers(actor, query), { headers: { "Cache-Control": "private, no-store" } });
  });
}
