import { z } from "zod";
import { optionalText, ReasonInput, text } from "@/lib/validation";

const uuid = text().uuid("invalid");

/** The holder gives up one of their own grants (My access). */
export const GiveUpGrantInput = z.object({ grantId: uuid, reason: optionalText(500) });

/** A security officer ends a temporary elevation (R10) before its end. */
export const EndElevationInput = z.object({ grantId: uuid, reason: ReasonInput });
