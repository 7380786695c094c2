import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import type { PeopleFilter } from "@/lib/people/queries";
import { FilterField, filterControl } from "@/components/ui/filter-field";
import { Combobox, type ComboOption } from "@/components/ui/combobox";

export async function PeopleFilters({
  filter,
  org,
  vendor,
  showVendor,
}: {
  filter: PeopleFilter;
  org: ComboOption | null;
  vendor: ComboOption | null;
  showVendor: boolean;
}) {
  const t = await getTranslations("people");
  const ts = await getTranslations("staffAdmin");
  const control = filterControl;
  return (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
      <FilterField id="filter-q" label={t("search")}>
        <input
          id="filter-q"
          name="q"
          defaultValue={filter.q}
          maxLength={100}
          placeholder={t("searchPlaceholder")}
          className={`${control} w-56`}
        />
      </FilterField>
      <FilterField id="filter-org" label={t("orgUnit")}>
        <Combobox
          id="filter-org"
          name="org"
          source="/lookup/org-units"
          tree
          initial={org}
          placeholder={t("all")}
          className={`${control} w-56`}
        />
      </FilterField>
      <FilterField id="filter-status" label={t("status")}>
        <select id="filter-status" name="status" defaultValue={filter.status ?? ""} className={control}>
          <option value="">{t("all")}</option>
          <option value="ACTIVE">{t("statuses.ACTIVE")}</option>
          <option value="SUSPENDED">{t("statuses.SUSPENDED")}</option>
          <option value="LEFT">{t("statuses.LEFT")}</option>
        </select>
      </FilterField>
      <FilterField id="filter-type" label={t("employmentType")}>
        <select id="filter-type" name="type" defaultValue={filter.type ?? ""} className={control}>
          <option value="">{t("all")}</option>
          <option value="EMPLOYEE">{t("types.EMPLOYEE")}</option>
          <option value="THIRD_PARTY">{t("types.THIRD_PARTY")}</option>
        </select>
      </FilterField>
      {showVendor ? (
        <FilterField id="filter-vendor" label={ts("vendor")}>
          <Combobox
            id="filter-vendor"
            name="vendor"
            source="/lookup/vendors"
            initial={vendor}
            placeholder={t("all")}
            className={`${control} w-48`}
          />
        </FilterField>
      ) : null}
      <FilterField id="filter-sort" label={t("sortBy")}>
        <select id="filter-sort" name="sort" defaultValue={filter.sort} className={control}>
          <option value="name">{t("name")}</option>
          <option value="employeeNo">{t("employeeNo")}</option>
        </select>
      </FilterField>
      <button type="submit" className={buttonClass("secondary")}>
        {t("apply")}
      </button>
    </form>
  );
}
