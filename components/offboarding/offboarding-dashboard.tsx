import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { OffboardingDashboard } from "@/lib/offboarding/queries";
import { formatDuration } from "@/lib/offboarding/receipt-format";
import { Card } from "@/components/ui/card";

const W = 640;
const H = 180;
const PAD = { top: 16, right: 8, bottom: 36, left: 8 };

/**
 * What is open or stuck now, and a server-rendered bar chart of the weekly median time to the last
 * system's confirmation (plain SVG: no charting library is available offline here; a table carries the
 * same numbers for screen readers).
 */
export async function OffboardingDashboardPanel({ data }: { data: OffboardingDashboard }) {
  const t = await getTranslations("offboarding.dashboard");
  const tiles: { label: string; value: number; href?: string; alert?: boolean }[] = [
    { label: t("scheduled"), value: data.scheduled, href: "/offboarding?status=SCHEDULED" },
    { label: t("unconfirmed"), value: data.unconfirmed, href: "/offboarding?status=OPEN", alert: data.unconfirmed > 0 },
    { label: t("stuck"), value: data.stuckDeliveries, alert: data.stuckDeliveries > 0 },
    { label: t("overdueTasks"), value: data.overdueTasks, alert: data.overdueTasks > 0 },
  ];
  const max = Math.max(1, ...data.weeks.map((w) => w.confirmedMedianMs ?? w.portalMedianMs));
  const slot = data.weeks.length ? (W - PAD.left - PAD.right) / data.weeks.length : 0;
  const barH = (ms: number) => ((H - PAD.top - PAD.bottom) * ms) / max;
  return (
    <div className="mb-4 grid gap-4 lg:grid-cols-3">
      <div className="grid grid-cols-2 gap-3">
        {tiles.map((tile) => (
          <div key={tile.label} className="rounded-lg border border-slate-200 bg-white p-3">
            <p className="text-xs text-slate-600">{tile.label}</p>
            <p className={`text-2xl font-semibold ${tile.alert ? "text-red-700" : "text-slate-900"}`}>
              {tile.href ? <Link href={tile.href}>{tile.value}</Link> : tile.value}
            </p>
          </div>
        ))}
      </div>
      <Card title={t("chartTitle")} className="lg:col-span-2">
        {data.weeks.length === 0 ? (
          <p className="text-sm text-slate-600">{t("noWeeks")}</p>
        ) : (
          <>
            <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t("chartTitle")} className="h-auto w-full">
              {data.weeks.map((w, i) => {
                const x = PAD.left + i * slot;
                const portal = barH(w.portalMedianMs);
                const confirmed = w.confirmedMedianMs === null ? 0 : barH(w.confirmedMedianMs);
                const base = H - PAD.bottom;
                return (
                  <g key={w.week}>
                    <rect x={x + slot * 0.15} y={base - confirmed} width={slot * 0.35} height={confirmed} className="fill-brand-600" />
                    <rect
                      x={x + slot * 0.5}
                      y={base - portal}
                      width={slot * 0.35}
                      height={Math.max(portal, 1)}
                      className="fill-emerald-500"
                    />
                    <text x={x + slot / 2} y={base + 14} textAnchor="middle" className="fill-slate-600 text-[10px]">
                      {w.week.slice(5)}
                    </text>
                    <text x={x + slot / 2} y={base + 28} textAnchor="middle" className="fill-slate-500 text-[9px]">
                      {w.confirmed}/{w.cases}
                    </text>
                  </g>
                );
              })}
            </svg>
            <p className="mt-1 flex gap-4 text-xs text-slate-600">
              <span>
                <span className="mr-1 inline-block h-2 w-3 bg-brand-600" />
                {t("legendConfirmed")}
              </span>
              <span>
                <span className="mr-1 inline-block h-2 w-3 bg-emerald-500" />
                {t("legendPortal")}
              </span>
              <span>{t("legendCount")}</span>
            </p>
            <table className="sr-only">
              <caption>{t("chartTitle")}</caption>
              <thead>
                <tr>
                  <th>{t("week")}</th>
                  <th>{t("cases")}</th>
                  <th>{t("legendPortal")}</th>
                  <th>{t("legendConfirmed")}</th>
                </tr>
              </thead>
              <tbody>
                {data.weeks.map((w) => (
                  <tr key={w.week}>
                    <td>{w.week}</td>
                    <td>
                      {w.confirmed}/{w.cases}
                    </td>
                    <td>{formatDuration(w.portalMedianMs)}</td>
                    <td>{w.confirmedMedianMs === null ? "—" : formatDuration(w.confirmedMedianMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Card>
    </div>
  );
}
