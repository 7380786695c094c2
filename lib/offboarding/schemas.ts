import { z } from "zod";
import { optionalCalendarDate } from "@/lib/time/calendar-input";
import { ReasonInput, text } from "@/lib/validation";

const uuid = () => text().uuid("invalid");

/** HR offboards one person: now (no last working day) or at the end of their last working day. */
export const OffboardPersonInput = z.object({
  personId: uuid(),
  lastWorkingDay: optionalCalendarDate(),
  reason: ReasonInput,
});

/** All of a vendor's people at once: its contract ended, or it was terminated early (ends today). */
export const OffboardVendorInput = z.object({
  vendorId: uuid(),
  mode: z.enum(["CONTRACT_ENDED", "TERMINATED"], { error: "invalid" }),
  reason: ReasonInput,
});

export const CancelOffboardingInput = z.object({
  caseId: uuid(),
  reason: ReasonInput,
});

export const OFFBOARDING_STATUSES = ["SCHEDULED", "COMPLETED", "CANCELLED"] as const;
