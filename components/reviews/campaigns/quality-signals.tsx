import { getFormatter, getTranslations } from "next-intl/server";
import { BURST_SIZE, BURST_WINDOW_S, NEVER_ENDS_MIN, type QualitySignals } from "@/lib/reviews/campaign-queries";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";

const who = (r: { name: string | null; employeeNo: string | null }) => `${r.name ?? "—"}${r.employeeNo ? ` (${r.employeeNo})` : ""}`;

/** Decision-quality signals for security officers (issue 12 §7). */
export async function QualitySignalsPanel({ signals }: { signals: QualitySignals }) {
  const [t, format] = await Promise.all([getTranslations("reviewsCampaigns.quality"), getFormatter()]);
  const secs = (ms: number) => t("seconds", { s: Math.round(ms / 100) / 10 });
  return (
    <Card title={t("title")} className="mt-6">
      <div className="space-y-6" data-testid="quality-signals">
        <p className="text-sm text-slate-600">{t("hint")}</p>
        <section>
          <h3 className="mb-2 text-sm font-semibold text-slate-800">{t("speed")}</h3>
          {signals.speed.length === 0 ? (
            <p className="text-sm text-slate-600">{t("noSpeed")}</p>
          ) : (
            <Table caption={t("speed")}>
              <thead>
                <tr>
                  <Th>{t("reviewer")}</Th>
                  <Th>{t("decisions")}</Th>
                  <Th>{t("median")}</Th>
                  <Th>{t("p90")}</Th>
                </tr>
              </thead>
              <tbody>
                {signals.speed.map((r) => (
                  <tr key={r.reviewerId}>
                    <Td>{who(r)}</Td>
                    <Td>{r.decisions}</Td>
                    <Td>{secs(r.medianMs)}</Td>
                    <Td>{secs(r.p90Ms)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
        <section>
          <h3 className="mb-1 text-sm font-semibold text-slate-800">{t("bursts")}</h3>
          <p className="mb-2 text-xs text-slate-500">{t("burstsHint", { size: BURST_SIZE, seconds: BURST_WINDOW_S })}</p>
          {signals.bursts.length === 0 ? (
            <p className="text-sm text-slate-600">{t("noBursts")}</p>
          ) : (
            <Table caption={t("bursts")}>
              <thead>
                <tr>
                  <Th>{t("reviewer")}</Th>
                  <Th>{t("decision")}</Th>
                  <Th>{t("count")}</Th>
                  <Th>{t("at")}</Th>
                </tr>
              </thead>
              <tbody>
                {signals.bursts.map((r) => (
                  <tr key={`${r.reviewerId}-${r.decision}`}>
                    <Td>{who(r)}</Td>
                    <Td>{t(`decisionNames.${r.decision as "KEEP"}`)}</Td>
                    <Td>{r.count}</Td>
                    <Td>{format.dateTime(r.at, { dateStyle: "medium", timeStyle: "medium" })}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
        <section>
          <h3 className="mb-1 text-sm font-semibold text-slate-800">{t("neverEnds")}</h3>
          <p className="mb-2 text-xs text-slate-500">{t("neverEndsHint", { min: NEVER_ENDS_MIN })}</p>
          {signals.neverEnds.length === 0 ? (
            <p className="text-sm text-slate-600">{t("noNeverEnds")}</p>
          ) : (
            <ul className="list-disc pl-5 text-sm text-slate-700">
              {signals.neverEnds.map((r) => (
                <li key={r.reviewerId}>
                  {who(r)}: {r.decisions}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </Card>
  );
}
