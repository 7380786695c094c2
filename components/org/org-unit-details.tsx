import { useTranslations } from "next-intl";
import { Badge, DescriptionList } from "@/components/ui/card";
import type { OrgUnitDetail } from "@/lib/org/queries";

export function OrgUnitDetails({ unit, english }: { unit: OrgUnitDetail; english: boolean }) {
  const t = useTranslations("orgAdmin");
  const parentLabel = unit.parent
    ? `${english && unit.parent.nameEn ? unit.parent.nameEn : unit.parent.name} (${unit.parent.code})`
    : t("noParent");
  return (
    <div className="space-y-3">
      <DescriptionList
        items={[
          { label: t("code"), value: <span className="font-mono">{unit.code}</span> },
          {
            label: t("status"),
            value: <Badge tone={unit.isActive ? "green" : "neutral"}>{unit.isActive ? t("active") : t("inactive")}</Badge>,
          },
          { label: t("name"), value: unit.name },
          { label: t("nameEn"), value: unit.nameEn ?? "—" },
          { label: t("parent"), value: parentLabel },
          { label: t("head"), value: unit.head ? `${unit.head.name} (${unit.head.employeeNo})` : t("noHead") },
          { label: t("activeChildren"), value: unit.activeChildren },
          { label: t("activePeople"), value: unit.activePeople },
          { label: t("activeSystems"), value: unit.activeSystems },
        ]}
      />
      {unit.isActive ? null : <p className="text-sm text-slate-600">{t("inactiveNote")}</p>}
    </div>
  );
}
