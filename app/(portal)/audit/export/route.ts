import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { getActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { performWith } from "@/lib/http/perform";
import { AuditFilter } from "@/lib/audit/queries";
import { auditCsvStream } from "@/lib/audit/export-csv";
import { recordAuditExport } from "@/lib/audit/record-export";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const actor = await getActor();
  const t = await getTranslations("errors");
  if (!actor) return NextResponse.json({ code: "UNAUTHENTICATED", message: t("UNAUTHENTICATED") }, { status: 401 });
  if (!can(actor, "audit:export")) return NextResponse.json({ code: "FORBIDDEN", message: t("FORBIDDEN") }, { status: 403 });
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const filter = AuditFilter.parse(params);
  await performWith(actor, (tx, a) => recordAuditExport(tx, a, filter));
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(auditCsvStream(filter, process.env.APP_TIME_ZONE ?? "Asia/Shanghai"), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
