import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { getActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { templateCsv } from "@/lib/imports/system-export";
import type { SystemImportKind } from "@/lib/imports/system-import";

export const dynamic = "force-dynamic";

const NAMES: Record<SystemImportKind, [string, string]> = {
  accounts: ["account-import-template.csv", "从帐号导入模板.csv"],
  grants: ["grant-import-template.csv", "授权导入模板.csv"],
  "last-login": ["last-login-import-template.csv", "最后登录时间导入模板.csv"],
};

/** An import template (?kind=accounts|grants|last-login): Chinese headers and example rows, UTF-8 with BOM. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await getActor();
  const t = await getTranslations("errors");
  if (!actor) return NextResponse.json({ code: "UNAUTHENTICATED", message: t("UNAUTHENTICATED") }, { status: 401 });
  if (!can(actor, "grants:manage", { systemId: id })) return NextResponse.json({ code: "FORBIDDEN", message: t("FORBIDDEN") }, { status: 403 });
  const kind = new URL(request.url).searchParams.get("kind") as SystemImportKind | null;
  if (!kind || !(kind in NAMES)) return NextResponse.json({ code: "VALIDATION", message: t("VALIDATION") }, { status: 400 });
  const [ascii, chinese] = NAMES[kind];
  return new Response(templateCsv(kind), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(chinese)}`,
      "Cache-Control": "no-store",
    },
  });
}
