import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { loadClassificationSettings, loadSecuritySettingsForm } from "@/lib/settings/queries";
import { ClassificationForm } from "@/components/admin/classification-form";
import { Card, PageHeader } from "@/components/ui/card";
import { SettingsForm } from "@/components/admin/settings-form";
import { RequestSettingsForm } from "@/components/requests/request-settings-form";
import { readRequestSettings } from "@/lib/requests/queries";

export async function generateMetadata() {
  const t = await getTranslations("settings");
  return { title: t("title") };
}

export default async function SettingsPage() {
  const actor = await requireActor();
  if (!can(actor, "settings:manage")) forbidden();
  const [security, t, classification, tl] = await Promise.all([
    loadSecuritySettingsForm(),
    getTranslations("settings"),
    loadClassificationSettings(),
    getTranslations("lifecycle.classification"),
  ]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Card>
        <SettingsForm settings={security.settings} rootApproverEmployeeNo={security.rootApproverEmployeeNo} />
      </Card>
      <div className="mt-4">
        <Card title={tl("title")}>
          <ClassificationForm sensitiveLevels={classification.sensitiveLevels} />
        </Card>
      </div>
      <div className="mt-4">
        <Card title={(await getTranslations("requests.settings"))("title")}>
          <RequestSettingsForm settings={await readRequestSettings()} />
        </Card>
      </div>
    </>
  );
}
