import { getDb } from "@/lib/db";
import { getSecuritySettings } from "./security-settings";
import { getClassificationSettings } from "./classification";

export function loadSecuritySettings() {
  return getSecuritySettings(getDb());
}

/** The security settings with the root approver's employee number, as the settings form shows them. */
export async function loadSecuritySettingsForm() {
  const settings = await getSecuritySettings(getDb());
  const root = settings.rootApproverId
    ? await getDb().person.findUnique({ where: { id: settings.rootApproverId }, select: { employeeNo: true } })
    : null;
  return { settings, rootApproverEmployeeNo: root?.employeeNo ?? "" };
}

export function loadClassificationSettings() {
  return getClassificationSettings(getDb());
}
