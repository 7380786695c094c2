import { getTranslations } from "next-intl/server";
import { performWith } from "@/lib/http/perform";
import { fileRoute } from "@/lib/http/download";
import { DomainError } from "@/lib/errors";
import { receiptWorkbook, recordReceiptExport } from "@/lib/offboarding/export-receipt";
import { formatCaseNumber } from "@/lib/offboarding/offboard-person";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The receipt of one case as evidence (.xlsx), audited. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return fileRoute("offboarding:read", undefined, async (actor) => {
    if (!UUID.test(id)) throw new DomainError("NOT_FOUND");
    const receipt = await performWith(actor, (tx, a) => recordReceiptExport(tx, a, id));
    const t = await getTranslations("offboarding");
    const file = await receiptWorkbook(receipt, {
      caseSheet: t("export.caseSheet"),
      systemsSheet: t("export.systemsSheet"),
      field: (k) => (t.has(`export.fields.${k}`) ? t(`export.fields.${k}` as "export.fields.number") : k),
      state: (s) => t(`receipt.states.${s}` as "receipt.states.SENDING"),
      columns: Array.from({ length: 12 }, (_, i) => t(`export.columns.${i}` as "export.columns.0")),
    });
    return new Response(new Uint8Array(file), {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="offboarding-${formatCaseNumber(receipt.number)}.xlsx"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
