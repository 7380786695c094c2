import { getDb } from "@/lib/db";
import { getSecuritySettings } from "./security-settings";
import { getClassificationSettings } from "./classification";

export function loadSecuritySettings() {
  return getSecuritySettings(getDb());
}

export function loadClassificationSettings() {
  return getClassificationSettings(getDb());
}
