import { z } from "zod";
import { optionalText, ReasonInput, text } from "@/lib/validation";
import { EMPLOYEE_NO } from "@/lib/people/schemas";

const uuid = () => text().uuid("invalid");

export const SLAVE_ACCOUNT_STATUSES = ["ACTIVE", "LOCKED", "DISABLED", "DELETED"] as const;
export type SlaveAccountStatus = (typeof SLAVE_ACCOUNT_STATUSES)[number];

export const SLAVE_ACCOUNT_CHANGES = ["lock", "unlock", "disable", "enable", "delete"] as const;
export type SlaveAccountChange = (typeof SLAVE_ACCOUNT_CHANGES)[number];

export const ChangeSlaveAccountStatusInput = z.object({
  slaveAccountId: uuid(),
  change: z.enum(SLAVE_ACCOUNT_CHANGES, { error: "invalid" }),
  // The status the administrator saw: a form older than the account's current status gets CONFLICT.
  expectedStatus: z
    .union([z.literal(""), z.enum(SLAVE_ACCOUNT_STATUSES)], { error: "invalid" })
    .optional()
    .transform((v) => v || undefined),
  reason: ReasonInput,
  basis: optionalText(200),
});

// The new owner of an orphan account: by person id (code, APIs) or employee number (the forms).
export const AssignSlaveAccountOwnerInput = z
  .object({
    slaveAccountId: uuid(),
    personId: z
      .union([z.literal(""), uuid()], { error: "invalid" })
      .optional()
      .transform((v) => v || undefined),
    employeeNo: optionalText(32).refine((v) => !v || EMPLOYEE_NO.test(v), "employee-no"),
    reason: ReasonInput,
    basis: optionalText(200),
  })
  .superRefine((v, ctx) => {
    if (!v.personId && !v.employeeNo) ctx.addIssue({ code: "custom", path: ["employeeNo"], message: "required" });
    if (v.personId && v.employeeNo) ctx.addIssue({ code: "custom", path: ["employeeNo"], message: "invalid" });
  });
