import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";

const STATUS_TONE = { PENDING: "amber", APPROVED: "green", REJECTED: "red", CANCELLED: "neutral", EXPIRED: "neutral" } as const;

export async function RequestStatusBadge({ status }: { status: keyof typeof STATUS_TONE }) {
  const t = await getTranslations("requests.statuses");
  return <Badge tone={STATUS_TONE[status]}>{t(status)}</Badge>;
}

/** Sensitive / administrative / elevation markers of a request or a role. */
export async function ClassBadges({
  isSensitive,
  isAdministrative,
  kind,
}: {
  isSensitive: boolean;
  isAdministrative: boolean;
  kind?: string;
}) {
  const t = await getTranslations("requests.badges");
  return (
    <span className="inline-flex flex-wrap gap-1">
      {kind === "ELEVATION" ? <Badge tone="red">{t("elevation")}</Badge> : null}
      {kind === "MATRIX_CHANGE" ? <Badge tone="blue">{t("matrixChange")}</Badge> : null}
      {isSensitive ? <Badge tone="red">{t("sensitive")}</Badge> : null}
      {isAdministrative ? <Badge tone="amber">{t("administrative")}</Badge> : null}
    </span>
  );
}
