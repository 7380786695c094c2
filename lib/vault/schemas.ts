import { z } from "zod";
import { optionalText, ReasonInput, requiredText, text } from "@/lib/validation";

const uuid = text().uuid("invalid");
const PORTAL_ROLES = ["SYSTEM_ADMIN", "ACCOUNT_ADMIN", "APPROVER", "HR", "SECURITY_OFFICER"] as const;

// A scenario's code names the operation it guards: "person.reveal-pii", "CRM:bulk-export".
export const SCENARIO_CODE = /^[A-Za-z0-9][A-Za-z0-9._:-]{1,99}$/;
export const MIN_VALID_SECONDS = 30;
export const MAX_VALID_SECONDS = 3600;

const approverFields = {
  name: requiredText(100),
  nameEn: optionalText(100),
  description: optionalText(500),
  approverRoles: z
    .array(z.enum(PORTAL_ROLES, { error: "invalid" }))
    .max(5)
    .default([]),
  // Named approvers by employee number (the form's text box); resolved to people by the use case.
  approverEmployeeNos: z.array(text().trim().min(1).max(40)).max(50, "too-long").default([]),
  validForSeconds: z.coerce
    .number({ error: "invalid" })
    .int("invalid")
    .min(MIN_VALID_SECONDS, "too-small")
    .max(MAX_VALID_SECONDS, "too-large"),
  reason: ReasonInput,
};

export const CreateVaultScenarioInput = z.object({
  code: text().trim().regex(SCENARIO_CODE, "invalid"),
  systemId: z.union([z.literal("").transform(() => undefined), uuid]).optional(),
  ...approverFields,
});

export const UpdateVaultScenarioInput = z.object({
  scenarioId: uuid,
  isActive: z.boolean(),
  ...approverFields,
});

const contextValue = z.union([text().max(500), z.number(), z.boolean(), z.null()]);

export const CreateVaultRequestInput = z.object({
  scenarioCode: text().trim().regex(SCENARIO_CODE, "invalid"),
  approverId: uuid,
  // Exactly what the approval will allow, e.g. "reveal:idNumber" on person <id>.
  operation: requiredText(200),
  targetType: text()
    .trim()
    .regex(/^[a-z][a-z0-9-]{0,49}$/, "invalid"),
  targetId: requiredText(200),
  targetLabel: optionalText(200),
  reason: ReasonInput,
  context: z
    .record(text().max(50), contextValue)
    .refine((o) => Object.keys(o).length <= 20, "too-long")
    .optional(),
  // When a system actor (an integration) asks on someone's behalf: the operator, and its API token.
  operatorId: uuid.optional(),
  apiTokenId: uuid.optional(),
});

export const DecideVaultRequestInput = z.object({
  vaultRequestId: uuid,
  outcome: z.enum(["APPROVE", "REJECT"], { error: "invalid" }),
  comment: optionalText(500),
});

export const ConsumeVaultApprovalInput = z.object({
  vaultRequestId: uuid,
  operation: requiredText(200),
  targetType: requiredText(50),
  targetId: requiredText(200),
});

export const CancelVaultRequestInput = z.object({ vaultRequestId: uuid });
