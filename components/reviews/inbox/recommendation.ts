// The reason behind a review item's recommendation, in the reader's language (issue 12 §4: "with
// their reason shown"). Dates in the parameters are formatted, a missing last sign-in reads "never".

type Translate = (key: string, values?: Record<string, string | number>) => string;
type Format = { dateTime: (d: Date, o: { dateStyle: "medium" }) => string };

export function recommendationReason(
  t: Translate,
  format: Format,
  code: string,
  params: Record<string, string | number | null> | null,
  personStatus: (status: string) => string = (v) => v,
): string {
  const p = params ?? {};
  const day = (v: unknown) =>
    typeof v === "string" && v ? format.dateTime(new Date(v), { dateStyle: "medium" }) : t("recommendations.never");
  switch (code) {
    case "LEAVER":
      return t("recommendations.LEAVER", { status: personStatus(String(p.status ?? "")) });
    case "MOVER":
      return t("recommendations.MOVER", { movedAt: day(p.movedAt) });
    case "CONTRACT_ENDING":
      return t("recommendations.CONTRACT_ENDING", { contractEndsOn: day(p.contractEndsOn) });
    case "NO_SIGN_IN":
      return t("recommendations.NO_SIGN_IN", { days: Number(p.days ?? 0), lastLoginAt: day(p.lastLoginAt) });
    case "ORPHAN":
    case "SOD":
    case "OUTSIDE_REQUEST":
      return t(`recommendations.${code}`);
    default:
      return code;
  }
}
