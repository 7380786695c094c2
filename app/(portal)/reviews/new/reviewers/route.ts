import { NextResponse } from "next/server";
import { fileRoute, queryOf } from "@/lib/http/download";
import { LookupQuery } from "@/lib/http/lookup";
import { DomainError } from "@/lib/errors";
import { lookupReviewers } from "@/lib/reviews/campaign-queries";

export const dynamic = "force-dynamic";

/** The named-reviewer picker of the definition form: active people by name, 20 at a time. */
export async function GET(request: Request) {
  return fileRoute("reviews:manage", undefined, async () => {
    const query = queryOf(request, LookupQuery);
    if (query.parent) throw new DomainError("VALIDATION");
    return NextResponse.json(await lookupReviewers(query), { headers: { "Cache-Control": "private, no-store" } });
  });
}
