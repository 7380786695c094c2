import { getDb } from "@/lib/db";
import { getSecuritySettings } from "./security-settings";

export function loadSecuritySettings() {
  return getSecuritySettings(getDb());
}
