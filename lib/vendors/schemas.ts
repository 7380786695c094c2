import { z } from "zod";
import { optionalText, ReasonInput, requiredText, text } from "@/lib/validation";
import { calendarDate } from "@/lib/time/calendar-input";

const flag = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());
const contactPhone = () => optionalText(30).refine((v) => !v || /^\+?[0-9 -]{5,20}$/.test(v), "phone");
const contactEmail = () =>
  optionalText(200)
    .refine((v) => !v || text().email().safeParse(v).success, "email")
    .transform((v) => v?.toLowerCase());

const endAfterStart = (v: { contractStartsOn: Date; contractEndsOn: Date }, ctx: z.RefinementCtx) => {
  if (v.contractEndsOn <= v.contractStartsOn) ctx.addIssue({ code: "custom", path: ["contractEndsOn"], message: "end-before-start" });
};

export const CreateVendorInput = z
  .object({
    name: requiredText(200),
    contractStartsOn: calendarDate(),
    contractEndsOn: calendarDate(),
    contactName: optionalText(100),
    contactPhone: contactPhone(),
    contactEmail: contactEmail(),
  })
  .superRefine(endAfterStart);

/**
 * The contact's phone and e-mail are write-only in the edit form (R15: shown masked): an empty
 * field keeps the stored value, a value replaces it, and the "clear" flags remove it.
 */
export const UpdateVendorInput = z
  .object({
    vendorId: text().uuid("invalid"),
    name: requiredText(200),
    contractStartsOn: calendarDate(),
    contractEndsOn: calendarDate(),
    contactName: optionalText(100),
    contactPhone: contactPhone(),
    contactEmail: contactEmail(),
    clearContactPhone: flag.default(false),
    clearContactEmail: flag.default(false),
    reason: ReasonInput,
  })
  .superRefine(endAfterStart);
