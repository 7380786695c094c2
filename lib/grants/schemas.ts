import { z } from "zod";
import { optionalText, ReasonInput, text } from "@/lib/validation";

const uuid = text().uuid("invalid");

export const LOGIN_NAME = /^[A-Za-z0-9._@-]{2,64}$/;

export const GrantRoleInput = z.object({
  personId: uuid,
  roleId: uuid,
  // The login in the business system; only used when the person has no account there yet.
  loginName: text()
    .trim()
    .regex(LOGIN_NAME, "login-name")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  endsAt: z.coerce.date({ message: "invalid" }).optional(),
  reason: ReasonInput,
  basis: optionalText(200),
  // Vault mode (R14): the approval that allows granting an administrative role directly (lib/vault).
  vaultRequestId: text()
    .uuid("invalid")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

export const RevokeGrantInput = z.object({ grantId: uuid, reason: ReasonInput });
