import { z } from "zod";
import { ReasonInput, requiredText, text } from "@/lib/validation";
import { API_OPERATIONS, MAX_TOKEN_DAYS } from "./operations";

const uuid = text().uuid("invalid");

export const CreateApiTokenInput = z
  .object({
    // Who uses it, e.g. "OA system (prod)": shown in lists and in every audit row of its calls.
    name: requiredText(100),
    // The business systems a token's calls may touch; an HR feed token (hr:write only) needs none.
    systemIds: z
      .array(uuid)
      .max(100, "too-long")
      .transform((ids) => [...new Set(ids)]),
    operations: z
      .array(z.enum(API_OPERATIONS, { message: "invalid" }))
      .min(1, "required")
      .transform((ops) => [...new Set(ops)]),
    // Every token expires: 1 to MAX_TOKEN_DAYS days from now.
    validDays: z.coerce.number({ message: "invalid" }).int("invalid").min(1, "invalid").max(MAX_TOKEN_DAYS, "api-token-days"),
  })
  // Checked even when other fields failed, so the form shows every missing field at once.
  .refine(
    (v) => {
      const systems = Array.isArray(v.systemIds) ? v.systemIds : [];
      const ops: unknown[] = Array.isArray(v.operations) ? v.operations : [];
      return systems.length > 0 || (ops.length > 0 && ops.every((op) => op === "hr:write"));
    },
    { path: ["systemIds"], message: "required", when: () => true },
  );

export const RevokeApiTokenInput = z.object({ tokenId: uuid, reason: ReasonInput });
