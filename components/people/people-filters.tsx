import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import type { PeopleFilter } from "@/lib/people/queries";

export async function PeopleFilters({ filter, orgUnits }: { filter: PeopleFilter; orgUnits: { id: string; label: string }[] }) {
  const t = await getTranslations("people");
  const control = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
      <label className="flex flex-col text-xs text-slate-600">
        {t("search")}
        <input name="q" defaultValue={filter.q} maxLength={100} placeholder={t("searchPlaceholder")} className={`${control} w-56`} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        {t("orgUnit")}
        <select name="org" defaultValue={filter.org ?? ""} className={control}>
          <option value="">{t("all")}</option>
          {orgUnits.map((o) => (
            <option key={o.id} value={o.id}>{o.label}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        {t("status")}
        <select name="status" defaultValue={filter.status ?? ""} className={control}>
          <option value="">{t("all")}</option>
          <option value="ACTIVE">{t("statuses.ACTIVE")}</option>
          <option value="SUSPENDED">{t("statuses.SUSPENDED")}</option>
          <option value="LEFT">{t("statuses.LEFT")}</option>
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        {t("employmentType")}
        <select name="type" defaultValue={filter.type ?? ""} className={control}>
          <option value="">{t("all")}</option>
          <option value="EMPLOYEE">{t("types.EMPLOYEE")}</option>
          <option value="THIRD_PARTY">{t("types.THIRD_PARTY")}</option>
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        {t("sortBy")}
        <select name="sort" defaultValue={filter.sort} className={control}>
          <option value="name">{t("name")}</option>
          <option value="employeeNo">{t("employeeNo")}</option>
        </select>
      </label>
      <button type="submit" className={buttonClass("secondary")}>{t("apply")}</button>
    </form>
  );
}
