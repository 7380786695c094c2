import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { getActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { performWith } from "@/lib/http/perform";
import { recordStaffExport, StaffExportQuery, staffExportStream } from "@/lib/imports/staff-export";

export const dynamic = "force-dynamic";

const CONTENT_TYPE = { csv: "text/csv; charset=utf-8", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } as const;

/** The staff list as CSV or XLSX, with the list's filters, personal data masked; audited, then streamed. */
export async function GET(request: Request) {
  const actor = await getActor();
  const t = await getTranslations("errors");
  if (!actor) return NextResponse.json({ code: "UNAUTHENTICATED", message: t("UNAUTHENTICATED") }, { status: 401 });
  if (!can(actor, "people:read")) return NextResponse.json({ code: "FORBIDDEN", message: t("FORBIDDEN") }, { status: 403 });
  const parsed = StaffExportQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return NextResponse.json({ code: "VALIDATION", message: t("VALIDATION") }, { status: 400 });
  const { format, ...filter } = parsed.data;
  await performWith(actor, (tx, a) => recordStaffExport(tx, a, filter, format));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(staffExportStream(actor, filter, format), {
    headers: {
      "Content-Type": CONTENT_TYPE[format],
      "Content-Disposition": `attachment; filename="staff-${day}.${format}"; filename*=UTF-8''${encodeURIComponent(`人员清单-${day}.${format}`)}`,
      "Cache-Control": "no-store",
    },
  });
}
