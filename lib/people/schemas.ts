import { z } from "zod";
import { optionalText, ReasonInput, requiredText, text } from "@/lib/validation";
import { optionalCalendarDate } from "@/lib/time/calendar-input";
import { JOB_CATEGORIES } from "@/lib/policy/types";

export const EMPLOYEE_NO = /^[A-Za-z0-9_-]{2,32}$/;

// The default job-role catalogue (REQUIREMENTS.md), as the prisma enum JobCategory: one list, the policy's.
export { JOB_CATEGORIES };
export type JobCategoryCode = (typeof JOB_CATEGORIES)[number];

export const PERSON_STATUSES = ["ACTIVE", "SUSPENDED", "LEFT"] as const;

const uuid = () => text().uuid("invalid");
const flag = () =>
  z
    .union([z.boolean(), text()])
    .optional()
    .transform((v) => v === true || v === "on" || v === "true");
const optionalUuid = () =>
  z
    .union([z.literal(""), z.null(), uuid()], { error: "invalid" })
    .optional()
    .transform((v) => v || undefined);

const phone = () => optionalText(30).refine((v) => !v || /^\+?[0-9 -]{5,20}$/.test(v), "phone");
// Stored lower-case so sign-in and duplicate checks compare exactly (no case-insensitive LIKE).
const email = () =>
  optionalText(200)
    .refine((v) => !v || text().email().safeParse(v).success, "email")
    .transform((v) => v?.toLowerCase());
const idNumber = () => optionalText(30).refine((v) => !v || /^[0-9A-Za-z]{6,30}$/.test(v), "id-number");
const jobCategories = () =>
  z
    .array(z.enum(JOB_CATEGORIES))
    .max(10)
    .default([])
    // Each at most once, in catalogue order, so an edit compares sets, not the order they were ticked.
    .transform((v) => JOB_CATEGORIES.filter((c) => v.includes(c)));
// The sponsor of a third party: by person id (seed, APIs) or by employee number (the forms).
const sponsorEmployeeNo = () => optionalText(32).refine((v) => !v || EMPLOYEE_NO.test(v), "employee-no");

type ThirdPartyFields = {
  employmentType: "EMPLOYEE" | "THIRD_PARTY";
  vendorId?: string | null;
  sponsorId?: string | null;
  sponsorEmployeeNo?: string | null;
  contractEndsOn?: Date | null;
};

/**
 * R10: a third party has a vendor, a sponsor and a contract end; an employee has none of them.
 * Every missing field is reported at once, so the form shows them together.
 */
export function checkThirdPartyFields(v: ThirdPartyFields, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (v.sponsorId && v.sponsorEmployeeNo) issue("sponsorEmployeeNo", "invalid");
  const hasSponsor = !!(v.sponsorId || v.sponsorEmployeeNo);
  if (v.employmentType === "THIRD_PARTY") {
    if (!v.vendorId) issue("vendorId", "third-party-required");
    if (!hasSponsor) issue(v.sponsorId === undefined ? "sponsorEmployeeNo" : "sponsorId", "third-party-required");
    if (!v.contractEndsOn) issue("contractEndsOn", "third-party-required");
  } else {
    if (v.vendorId) issue("vendorId", "third-party-only");
    if (hasSponsor) issue(v.sponsorId ? "sponsorId" : "sponsorEmployeeNo", "third-party-only");
    if (v.contractEndsOn) issue("contractEndsOn", "third-party-only");
  }
}

export const CreatePersonInput = z
  .object({
    employeeNo: text().trim().regex(EMPLOYEE_NO, "employee-no"),
    name: requiredText(100),
    orgUnitId: uuid(),
    jobTitle: requiredText(100),
    employmentType: z.enum(["EMPLOYEE", "THIRD_PARTY"]),
    vendorId: optionalUuid(),
    sponsorId: optionalUuid(),
    sponsorEmployeeNo: sponsorEmployeeNo(),
    contractEndsOn: optionalCalendarDate(),
    phone: phone(),
    email: email(),
    jobCategories: jobCategories(),
    idNumber: idNumber(),
  })
  .superRefine(checkThirdPartyFields);

/**
 * The editable record (what the edit form shows): name, unit, job, categories, contacts, ID number,
 * and for third parties the vendor, sponsor and contract end. Employee number and employment
 * type are fixed; a status change is its own use case.
 */
export const UpdatePersonInput = z.object({
  personId: uuid(),
  name: requiredText(100),
  orgUnitId: uuid(),
  jobTitle: requiredText(100),
  jobCategories: jobCategories(),
  // Personal data is write-only in the edit form (R15: shown masked): empty keeps the stored value,
  // a value replaces it, a "clear" flag removes it.
  phone: phone(),
  email: email(),
  idNumber: idNumber(),
  clearPhone: flag(),
  clearEmail: flag(),
  clearIdNumber: flag(),
  // Third parties: a vendor given here replaces the current one (or sets it on a record from before vendors).
  vendorId: optionalUuid(),
  sponsorId: optionalUuid(),
  sponsorEmployeeNo: sponsorEmployeeNo(),
  contractEndsOn: optionalCalendarDate(),
  reason: ReasonInput,
  // R5 movers: a change of org unit, job title or job categories revokes the person's sensitive grants.
  // The edit form sends this (false unless HR ticked it) and is refused until HR confirms; callers
  // that omit it (imports, APIs) proceed.
  confirmMover: z
    .union([z.boolean(), text()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === true || v === "on" || v === "true")),
});

/** The employment-type rules checked again against the stored record (update cannot change the type). */
export const ThirdPartyRecord = z
  .object({
    employmentType: z.enum(["EMPLOYEE", "THIRD_PARTY"]),
    vendorId: text().nullable().optional(),
    sponsorId: text().nullable().optional(),
    sponsorEmployeeNo: text().nullable().optional(),
    contractEndsOn: z.date().nullable().optional(),
  })
  .superRefine(checkThirdPartyFields);

export const ChangePersonStatusInput = z.object({
  personId: uuid(),
  status: z.enum(PERSON_STATUSES),
  // The status the form showed: when given and no longer current, the change is a CONFLICT.
  expectedStatus: z
    .union([z.literal(""), z.enum(PERSON_STATUSES)], { error: "invalid" })
    .optional()
    .transform((v) => v || undefined),
  reason: ReasonInput,
});

export const RevealPiiInput = z.object({
  personId: text().uuid("invalid"),
  field: z.enum(["phone", "email", "idNumber"]),
  // Vault mode (R14): the approval for exactly this person and field (lib/vault).
  vaultRequestId: text().uuid("invalid").optional(),
});
