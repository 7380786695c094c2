import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { getActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { RosterFilter } from "@/lib/roster/queries";
import { rosterXlsxStream } from "@/lib/roster/export-xlsx";
import { performWith } from "@/lib/http/perform";
import { recordRosterExport } from "@/lib/roster/record-export";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const actor = await getActor();
  const t = await getTranslations("errors");
  if (!actor) return NextResponse.json({ code: "UNAUTHENTICATED", message: t("UNAUTHENTICATED") }, { status: 401 });
  if (!can(actor, "roster:read")) return NextResponse.json({ code: "FORBIDDEN", message: t("FORBIDDEN") }, { status: 403 });
  const parsed = RosterFilter.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return NextResponse.json({ code: "VALIDATION", message: t("VALIDATION") }, { status: 400 });
  const filter = parsed.data;
  await performWith(actor, (tx, a) => recordRosterExport(tx, a, filter, "xlsx"));
  return new Response(rosterXlsxStream(actor, { ...filter, cursor: undefined }), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="sensitive-personnel-${filter.asOf ?? new Date().toISOString().slice(0, 10)}.xlsx"`,
      "Cache-Control": "no-store",
    },
  });
}
