import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { fileRoute, queryOf } from "@/lib/http/download";
import { performWith } from "@/lib/http/perform";
import { LONG_TX_MS } from "@/lib/reviews/close-campaign";
import { csvExport, evidenceExport, xlsxExport, type ExportLabels } from "@/lib/reviews/export-evidence";
import { formatCampaignNumber } from "@/lib/reviews/schemas";

export const dynamic = "force-dynamic";

const Query = z.object({ format: z.enum(["csv", "xlsx", "evidence"]) }).strict();

async function labels(): Promise<ExportLabels & { sheet: string; campaignSheet: string }> {
  const t = await getTranslations("reviewsCampaigns.export");
  return {
    column: (k, stage) => t(`columns.${k}` as "columns.item", { n: stage ?? 0 }),
    campaign: (k) => t(`campaign.${k}` as "campaign.number"),
    source: (s) => (t.has(`sources.${s}`) ? t(`sources.${s}` as "sources.REVIEWER") : s),
    result: (s) => (t.has(`results.${s}`) ? t(`results.${s}` as "results.NONE") : s),
    applyState: (s) => (t.has(`applyStates.${s}`) ? t(`applyStates.${s}` as "applyStates.NONE") : s),
    yes: t("yes"),
    no: t("no"),
    sheet: t("sheet"),
    campaignSheet: t("campaignSheet"),
  };
}

/**
 * A campaign's evidence: ?format=csv (streamed), xlsx, or evidence (one CSV with the frozen settings
 * whose SHA-256 is recorded in the audit trail, returned in the X-Evidence-SHA256 header). Audited.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return fileRoute("reviews:manage", undefined, async (actor) => {
    const { format } = queryOf(request, Query);
    const l = await labels();
    if (format === "csv") {
      const done = await performWith(actor, (tx, a) => csvExport(tx, a, id, l));
      return new Response(done.stream(), {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="review-${formatCampaignNumber(done.campaign.number)}.csv"`,
          "Cache-Control": "no-store",
        },
      });
    }
    if (format === "xlsx") {
      const done = await performWith(actor, (tx, a) => xlsxExport(tx, a, id, l), { timeoutMs: LONG_TX_MS });
      return new Response(new Uint8Array(done.file), {
        headers: {
          "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "Content-Disposition": `attachment; filename="review-${formatCampaignNumber(done.campaign.number)}.xlsx"`,
          "X-Evidence-SHA256": done.sha256,
          "Cache-Control": "no-store",
        },
      });
    }
    const done = await performWith(actor, (tx, a) => evidenceExport(tx, a, id, l), { timeoutMs: LONG_TX_MS });
    return new Response(done.stream(), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="review-${formatCampaignNumber(done.campaign.number)}-evidence.csv"`,
        "X-Evidence-SHA256": done.sha256,
        "Cache-Control": "no-store",
      },
    });
  });
}
