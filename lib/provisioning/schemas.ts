import { z } from "zod";
import { hasControlCharacters, ReasonInput, text } from "@/lib/validation";

const uuid = text().uuid("invalid");

// A SCIM base URL: http(s), no credentials or fragment in it, stored without a trailing slash.
const BaseUrl = text()
  .trim()
  .max(500, "too-long")
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password && !u.hash && !hasControlCharacters(v);
    } catch {
      return false;
    }
  }, "url")
  .transform((v) => v.replace(/\/+$/, ""));

// Blank means "keep the stored secret" when the connector already has one.
const Secret = text()
  .max(2000, "too-long")
  .refine((v) => !hasControlCharacters(v), "invalid")
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

export const ConfigureConnectorInput = z.discriminatedUnion("kind", [
  z.object({
    systemId: uuid,
    kind: z.literal("SCIM"),
    baseUrl: BaseUrl,
    auth: z.enum(["BEARER", "BASIC"], { message: "invalid" }),
    secret: Secret,
    roleMapping: z.enum(["ROLES", "ENTITLEMENTS"], { message: "invalid" }).default("ROLES"),
    maxAttempts: z.coerce.number({ message: "invalid" }).int("invalid").min(1, "invalid").max(50, "invalid").default(8),
    // Safety valve: hold disables/deletes above this share of the system's accounts (0 = never).
    safetyMaxPercent: z.coerce.number({ message: "invalid" }).int("invalid").min(0, "invalid").max(100, "invalid").default(10),
    reason: ReasonInput,
  }),
  z.object({ systemId: uuid, kind: z.literal("MANUAL"), reason: ReasonInput }),
]);

export const RemoveConnectorInput = z.object({ systemId: uuid, reason: ReasonInput });

export const ReleaseHeldInput = z.object({ systemId: uuid, reason: ReasonInput });
