import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { vendorChoice } from "@/lib/offboarding/queries";
import { Card, PageHeader } from "@/components/ui/card";
import { OffboardVendorForm } from "@/components/offboarding/offboarding-forms";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every person of a vendor leaves in one action (R10); ?vendor=<id> preselects it (from the vendors page). */
export default async function OffboardVendorPage({ searchParams }: { searchParams: Promise<{ vendor?: string }> }) {
  const actor = await requireActor();
  if (!can(actor, "people:manage") || !can(actor, "vendors:manage")) forbidden();
  const { vendor } = await searchParams;
  const chosen = typeof vendor === "string" && UUID.test(vendor) ? await vendorChoice(vendor) : null;
  const t = await getTranslations("offboarding.vendor");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Card title={t("title")} className="max-w-xl">
        <OffboardVendorForm initial={chosen ? { id: chosen.id, label: chosen.name } : null} />
      </Card>
    </>
  );
}
