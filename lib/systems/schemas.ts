import { z } from "zod";
import { optionalText, ReasonInput, requiredText, text } from "@/lib/validation";

export const SYSTEM_CODE = /^[A-Z0-9_-]{2,40}$/;
export const ITEM_CODE = /^[A-Z0-9_.-]{2,60}$/;

export const DATA_KINDS = ["NONE", "IDENTITY", "USER_DATA", "SERVICE_DATA"] as const;
export const SENSITIVITIES = ["EXTREME", "SENSITIVE", "RELATIVE", "LOW"] as const;
export const OPERATIONS = [
  "QUERY",
  "ADD",
  "DELETE",
  "MODIFY",
  "BULK_IMPORT",
  "BULK_EXPORT",
  "BULK_SERVICE",
  "BULK_DOWNLOAD",
  "SCREEN_COPY",
] as const;

const flag = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());
const uuid = text().uuid("invalid");

export const BusinessSystemFields = z.object({
  name: requiredText(100),
  nameEn: optionalText(100),
  description: optionalText(1000),
  environment: z.enum(["PRODUCTION", "TEST"]),
  kind: z.enum(["FRONT_END", "BACK_END", "PLATFORM"]),
  ownerOrgId: uuid,
  isConnected: flag.default(false),
});

export const CreateBusinessSystemInput = BusinessSystemFields.extend({
  code: text().trim().toUpperCase().regex(SYSTEM_CODE, "code"),
});

export const UpdateBusinessSystemInput = BusinessSystemFields.extend({ systemId: uuid, reason: ReasonInput });

export const PermissionFields = z.object({
  name: requiredText(100),
  nameEn: optionalText(100),
  description: optionalText(1000),
  dataKind: z.enum(DATA_KINDS),
  sensitivity: z.enum(SENSITIVITIES),
  operation: z.enum(OPERATIONS),
  isLogManagement: flag.default(false),
  isAccountCreation: flag.default(false),
});

export const CreatePermissionInput = PermissionFields.extend({
  systemId: uuid,
  code: text().trim().toUpperCase().regex(ITEM_CODE, "code"),
  reason: ReasonInput,
});

export const UpdatePermissionInput = PermissionFields.extend({ permissionId: uuid, isActive: flag.default(true), reason: ReasonInput });

export const JobRoleFields = z.object({
  name: requiredText(100),
  nameEn: optionalText(100),
  description: optionalText(1000),
  isAdministrative: flag.default(false),
  isRequestable: flag.default(true),
});

export const CreateJobRoleInput = JobRoleFields.extend({
  systemId: uuid,
  code: text().trim().toUpperCase().regex(ITEM_CODE, "code"),
  reason: ReasonInput,
});

export const UpdateJobRoleInput = JobRoleFields.extend({ roleId: uuid, isActive: flag.default(true), reason: ReasonInput });

// A matrix change is a set of explicit toggles, not the whole grid: two administrators editing
// different cells at once both keep their changes, and a toggle already in place is a no-op.
// (Issue 4 routes such a change set through the system owner's leader before it is applied.)
export const ChangeMatrixInput = z.object({
  systemId: uuid,
  add: z.array(z.object({ roleId: uuid, permissionId: uuid })).max(5000),
  remove: z.array(z.object({ roleId: uuid, permissionId: uuid })).max(5000),
  reason: ReasonInput,
});
