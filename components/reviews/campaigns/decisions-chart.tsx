import { getTranslations } from "next-intl/server";
import type { DecisionDay } from "@/lib/reviews/campaign-queries";
import { Card } from "@/components/ui/card";

const W = 640;
const H = 180;
const PAD = { top: 12, right: 8, bottom: 28, left: 8 };

/**
 * Decisions per day as stacked bars (kept, shortened, ended), plain SVG rendered on the server (no
 * charting library offline); a table carries the same numbers for screen readers.
 */
export async function DecisionsChart({ days }: { days: DecisionDay[] }) {
  const t = await getTranslations("reviewsCampaigns.detail");
  const max = Math.max(1, ...days.map((d) => d.keep + d.end + d.shorten));
  const slot = days.length ? (W - PAD.left - PAD.right) / days.length : 0;
  const h = (n: number) => ((H - PAD.top - PAD.bottom) * n) / max;
  const base = H - PAD.bottom;
  const labelEvery = Math.max(1, Math.ceil(days.length / 12));
  return (
    <Card title={t("chartTitle")}>
      {days.length === 0 ? (
        <p className="text-sm text-slate-600">{t("noDecisions")}</p>
      ) : (
        <div>
          <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t("chartTitle")} className="h-auto w-full" data-testid="decisions-chart">
            {days.map((d, i) => {
              const x = PAD.left + i * slot + slot * 0.15;
              const w = Math.max(slot * 0.7, 1);
              const keep = h(d.keep);
              const shorten = h(d.shorten);
              const end = h(d.end);
              return (
                <g key={d.day}>
                  <rect x={x} y={base - keep} width={w} height={keep} className="fill-emerald-500" />
                  <rect x={x} y={base - keep - shorten} width={w} height={shorten} className="fill-amber-500" />
                  <rect x={x} y={base - keep - shorten - end} width={w} height={end} className="fill-red-600" />
                  {i % labelEvery === 0 ? (
                    <text x={x + w / 2} y={base + 14} textAnchor="middle" className="fill-slate-600 text-[10px]">
                      {d.day.slice(5)}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </svg>
          <p className="mt-1 flex flex-wrap gap-4 text-xs text-slate-600">
            <span>
              <span className="mr-1 inline-block h-2 w-3 bg-emerald-500" />
              {t("keep")}
            </span>
            <span>
              <span className="mr-1 inline-block h-2 w-3 bg-amber-500" />
              {t("shorten")}
            </span>
            <span>
              <span className="mr-1 inline-block h-2 w-3 bg-red-600" />
              {t("end")}
            </span>
          </p>
          <table className="sr-only">
            <caption>{t("chartTitle")}</caption>
            <thead>
              <tr>
                <th>{t("day")}</th>
                <th>{t("keep")}</th>
                <th>{t("shorten")}</th>
                <th>{t("end")}</th>
                <th>{t("defaulted")}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <td>{d.day}</td>
                  <td>{d.keep}</td>
                  <td>{d.shorten}</td>
                  <td>{d.end}</td>
                  <td>{d.defaulted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
