import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import type { PeopleFilter } from "@/lib/people/queries";

export async function PeopleFilters({ filter, orgUnits }: { filter: PeopleFilter; orgUnits: { id: string; label: string }[] }) {
  const t = await getTranslations("people");
  const control = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="filter-q">{t("search")}</label>
        <input id="filter-q" name="q" defaultValue={filter.q} maxLength={100} placeholder={t("searchPlaceholder")} className={`${control} w-56`} />
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="filter-org">{t("orgUnit")}</label>
        <select id="filter-org" name="org" defaultValue={filter.org ?? ""} className={control}>
          <option value="">{t("all")}</option>
          {orgUnits.map((o) => (
            <option key={o.id} value={o.id}>{o.label}</option>
          ))}
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="filter-status">{t("status")}</label>
        <select id="filter-status" name="status" defaultValue={filter.status ?? ""} className={control}>
          <option value="">{t("all")}</option>
          <option value="ACTIVE">{t("statuses.ACTIVE")}</option>
          <option value="SUSPENDED">{t("statuses.SUSPENDED")}</option>
          <option value="LEFT">{t("statuses.LEFT")}</option>
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="filter-type">{t("employmentType")}</label>
        <select id="filter-type" name="type" defaultValue={filter.type ?? ""} className={control}>
          <option value="">{t("all")}</option>
          <option value="EMPLOYEE">{t("types.EMPLOYEE")}</option>
          <option value="THIRD_PARTY">{t("types.THIRD_PARTY")}</option>
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="filter-sort">{t("sortBy")}</label>
        <select id="filter-sort" name="sort" defaultValue={filter.sort} className={control}>
          <option value="name">{t("name")}</option>
          <option value="employeeNo">{t("employeeNo")}</option>
        </select>
      </div>
      <button type="submit" className={buttonClass("secondary")}>{t("apply")}</button>
    </form>
  );
}
