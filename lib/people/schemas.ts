import { z } from "zod";
import { optionalText, requiredText as text } from "@/lib/validation";

export const EMPLOYEE_NO = /^[A-Za-z0-9_-]{2,32}$/;

export const CreatePersonInput = z.object({
  employeeNo: z.string().trim().regex(EMPLOYEE_NO, "employee-no"),
  name: text(100),
  orgUnitId: z.string().uuid("invalid"),
  jobTitle: text(100),
  employmentType: z.enum(["EMPLOYEE", "THIRD_PARTY"]),
  vendorName: optionalText(200),
  phone: optionalText(30).refine((v) => !v || /^\+?[0-9 -]{5,20}$/.test(v), "phone"),
  // Stored lower-case so sign-in and duplicate checks compare exactly (no case-insensitive LIKE).
  email: optionalText(200)
    .refine((v) => !v || z.string().email().safeParse(v).success, "email")
    .transform((v) => v?.toLowerCase()),
  idNumber: optionalText(30).refine((v) => !v || /^[0-9A-Za-z]{6,30}$/.test(v), "id-number"),
});

export const CreateOrgUnitInput = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, "code"),
  name: text(100),
  nameEn: optionalText(100),
  parentId: z.string().uuid("invalid").optional(),
});

export const RevealPiiInput = z.object({
  personId: z.string().uuid("invalid"),
  field: z.enum(["phone", "email", "idNumber"]),
});

export const ReasonInput = text(500).refine((v) => v.length >= 2, "required");
