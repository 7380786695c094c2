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
  jobCategories: z
    .array(z.enum(["PRODUCT_RD", "MARKETING_POLICY", "BUSINESS_MANAGEMENT", "OPERATIONS_SUPPORT", "SERVICE_MARKETING_FRONT_LINE", "SERVICE_MARKETING_OTHER", "OPS_INFRASTRUCTURE_ADMIN", "OPS_APPLICATION_ADMIN", "DEV_TEST", "PRODUCTION_OPERATIONS"]))
    .max(10)
    .default([]),
  idNumber: optionalText(30).refine((v) => !v || /^[0-9A-Za-z]{6,30}$/.test(v), "id-number"),
});

export const RevealPiiInput = z.object({
  personId: z.string().uuid("invalid"),
  field: z.enum(["phone", "email", "idNumber"]),
});

export const ReasonInput = text(500).refine((v) => v.length >= 2, "required");
