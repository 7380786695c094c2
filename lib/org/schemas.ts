import { z } from "zod";
import { optionalText, requiredText, text } from "@/lib/validation";
import { EMPLOYEE_NO } from "@/lib/people/schemas";

const id = () => text().min(1, "required").uuid("invalid");

export const CreateOrgUnitInput = z.object({
  code: text()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, "code"),
  name: requiredText(100),
  nameEn: optionalText(100),
  parentId: id().optional(),
});

export const RenameOrgUnitInput = z.object({
  orgUnitId: id(),
  name: requiredText(100),
  nameEn: optionalText(100),
});

export const MoveOrgUnitInput = z.object({
  orgUnitId: id(),
  // Required: a unit always moves under another unit (the top of the organisation stays put).
  parentId: id(),
});

export const DeactivateOrgUnitInput = z.object({
  orgUnitId: id(),
});

// The head is named by person id (seed, APIs) or by employee number (the form); neither clears it.
export const SetOrgUnitHeadInput = z
  .object({
    orgUnitId: id(),
    personId: id().nullable().optional(),
    employeeNo: text().trim().min(1, "required").regex(EMPLOYEE_NO, "employee-no").optional(),
  })
  .refine((v) => !(v.personId && v.employeeNo), { path: ["employeeNo"], message: "invalid" });
