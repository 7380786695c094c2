import { z } from "zod";
import { optionalText, ReasonInput, requiredText, text } from "@/lib/validation";
import { endOfDay } from "@/lib/time/calendar";
import { RequestSettingsSchema } from "@/lib/policy/request-settings";

const uuid = text().uuid("invalid");
const optionalUuid = z
  .union([z.literal(""), z.null(), uuid], { error: "invalid" })
  .optional()
  .transform((v) => v || undefined);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The end of a requested access window. A calendar day ("2026-12-31") means "through that day" in the
 * portal's time zone (APP_TIME_ZONE): the access ends at its last millisecond there. A date-time with an
 * offset (or a Date) is taken as is.
 * null, "" and "permanent" mean no end (permanent: employees on non-sensitive roles only).
 */
export const RequestEndsAt = z.preprocess(
  (v) => {
    if (v === null || v === "" || v === "permanent") return null;
    if (v instanceof Date) return v;
    if (typeof v !== "string") return v;
    const s = v.trim();
    if (DAY.test(s)) {
      const d = new Date(`${s}T00:00:00Z`);
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) return "invalid";
      return endOfDay(s);
    }
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return "invalid";
    return new Date(s);
  },
  z
    .date({ error: "date" })
    .nullable()
    .refine((d) => d === null || (d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2999), "date"),
) as unknown as z.ZodType<Date | null, string | Date | null>;

export const SUBMITTABLE_KINDS = ["GRANT", "ELEVATION"] as const;

export const SubmitRequestInput = z.object({
  subjectId: uuid,
  roleId: uuid,
  justification: requiredText(2000),
  endsAt: RequestEndsAt,
  kind: z.enum(SUBMITTABLE_KINDS).default("GRANT"),
  renewsGrantId: optionalUuid,
  // A form's one-time key: a double-clicked submit (or a retried API call) is one request.
  idempotencyKey: z
    .union([
      z.literal(""),
      text()
        .trim()
        .regex(/^[A-Za-z0-9_-]{8,100}$/, "invalid"),
    ])
    .optional()
    .transform((v) => v || undefined),
});

export const DecideRequestInput = z
  .object({
    requestId: uuid,
    // The stage the approver saw (forms send it): a decision for a stage that has moved on is a repeat
    // or too late, never a decision on the next stage.
    stageId: optionalUuid,
    outcome: z.enum(["APPROVE", "REJECT"]),
    comment: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "REJECT" && !v.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "required" });
  });

export const CancelRequestInput = z.object({ requestId: uuid, reason: optionalText(500) });

export const BulkDecideInput = z.object({
  requestIds: z.array(uuid).min(1, "required").max(100, "too-many"),
  outcome: z.literal("APPROVE"),
  comment: optionalText(2000),
});

// --- Approval chains (R7, R8) ---------------------------------------------------------------------

// What a system's own chain may use. SPONSOR belongs to R10 elevations only (their chain is fixed).
export const CONFIGURABLE_STAGE_KINDS = ["DEPARTMENT_HEAD", "SYSTEM_OWNER", "SECURITY", "OWNER_LEADER", "NAMED"] as const;
export const STAGE_RULES = ["ANY", "ALL", "N_OF_M"] as const;
export const MAX_STAGES = 6;
export const MAX_NAMED = 20;

export const StageSpecSchema = z
  .object({
    kind: z.enum(CONFIGURABLE_STAGE_KINDS),
    rule: z.enum(STAGE_RULES).default("ANY"),
    requiredCount: z.coerce.number().int("invalid").min(1, "invalid").max(MAX_NAMED, "invalid").optional(),
    namedApproverIds: z.array(uuid).max(MAX_NAMED, "too-many").optional(),
  })
  .superRefine((s, ctx) => {
    if (s.rule === "N_OF_M" && !s.requiredCount) ctx.addIssue({ code: "custom", path: ["requiredCount"], message: "required" });
    if (s.kind === "NAMED" && !s.namedApproverIds?.length)
      ctx.addIssue({ code: "custom", path: ["namedApproverIds"], message: "required" });
    if (
      s.kind === "NAMED" &&
      s.rule === "N_OF_M" &&
      s.requiredCount &&
      s.namedApproverIds &&
      s.requiredCount > new Set(s.namedApproverIds).size
    ) {
      ctx.addIssue({ code: "custom", path: ["requiredCount"], message: "invalid" });
    }
  })
  .transform((s) => ({
    kind: s.kind,
    rule: s.rule,
    ...(s.rule === "N_OF_M" ? { requiredCount: s.requiredCount } : {}),
    ...(s.kind === "NAMED" ? { namedApproverIds: [...new Set(s.namedApproverIds)] } : {}),
  }));
export type ConfiguredStage = z.infer<typeof StageSpecSchema>;

export const ChainDefinitionSchema = z
  .object({
    standard: z.array(StageSpecSchema).min(1, "required").max(MAX_STAGES, "too-many"),
    sensitive: z.array(StageSpecSchema).min(1, "required").max(MAX_STAGES, "too-many"),
  })
  .superRefine((d, ctx) => {
    // R8: sensitive permissions and administrator roles always need security's approval.
    if (!d.sensitive.some((s) => s.kind === "SECURITY"))
      ctx.addIssue({ code: "custom", path: ["sensitive"], message: "security-required" });
  });
export type ChainDefinition = z.infer<typeof ChainDefinitionSchema>;

// definition null = back to the default chain.
export const SetApprovalChainInput = z.object({
  systemId: uuid,
  definition: ChainDefinitionSchema.nullable(),
  reason: ReasonInput,
});

export const UpdateRequestSettingsInput = RequestSettingsSchema.extend({ reason: ReasonInput });
