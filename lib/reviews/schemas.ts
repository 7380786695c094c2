import { z } from "zod";
import { optionalCalendarDate } from "@/lib/time/calendar-input";
import { optionalText, ReasonInput, requiredText, text } from "@/lib/validation";

// Inputs of the access reviews (issue 12). Forms post strings; the API posts JSON: both parse here.

const uuid = () => text().uuid("invalid");
const flag = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());
const int = (min: number, max: number) => z.coerce.number({ error: "invalid" }).int("invalid").min(min, "too-small").max(max, "too-large");

export const REVIEWER_STRATEGIES = ["DEPARTMENT_HEAD", "SYSTEM_OWNER", "SPONSOR", "NAMED"] as const;
export type ReviewerStrategy = (typeof REVIEWER_STRATEGIES)[number];

export const RECOMMENDATIONS = ["LEAVER", "ORPHAN", "MOVER", "SOD", "CONTRACT_ENDING", "NO_SIGN_IN", "OUTSIDE_REQUEST"] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

/**
 * What a campaign covers. Facets narrow each other (AND): systems (none = every system the author may
 * review), sensitive grants only (R3: the role's matrix holds a permission of a sensitive level),
 * one employment type (every third party, R10), one org subtree; `includeOrphans` adds the accounts of
 * the chosen systems that nobody owns (R2), which needs systems and no person facet.
 */
export const ReviewScope = z
  .object({
    systemIds: z.array(uuid()).max(200, "too-many").default([]),
    sensitiveOnly: flag.default(false),
    employmentType: z.enum(["ANY", "EMPLOYEE", "THIRD_PARTY"], { error: "invalid" }).default("ANY"),
    orgUnitId: uuid().nullable().default(null),
    includeOrphans: flag.default(false),
    // Only these people (a mover's review, issue 11 §2); empty: everyone the other facets select.
    personIds: z.array(uuid()).max(1000, "too-many").default([]),
  })
  .superRefine((s, ctx) => {
    if (s.includeOrphans && s.systemIds.length === 0)
      ctx.addIssue({ code: "custom", path: ["includeOrphans"], message: "orphans-need-systems" });
    if (s.includeOrphans && (s.employmentType !== "ANY" || s.orgUnitId || s.personIds.length))
      ctx.addIssue({ code: "custom", path: ["includeOrphans"], message: "orphans-contradict-person-scope" });
  });
export type ReviewScope = z.infer<typeof ReviewScope>;

export const ReviewStage = z
  .object({
    strategy: z.enum(REVIEWER_STRATEGIES, { error: "invalid" }),
    reviewerIds: z.array(uuid()).max(20, "too-many").default([]),
  })
  .superRefine((s, ctx) => {
    if (s.strategy === "NAMED" && s.reviewerIds.length === 0) ctx.addIssue({ code: "custom", path: ["reviewerIds"], message: "required" });
  });
export type ReviewStage = z.infer<typeof ReviewStage>;

const Decision = z.enum(["KEEP", "END"], { error: "invalid" });

export const ReviewDefinitionInput = z
  .object({
    name: requiredText(120),
    description: optionalText(1000),
    scope: ReviewScope,
    granularity: z.enum(["GRANT", "ACCOUNT"], { error: "invalid" }).default("GRANT"),
    stages: z.array(ReviewStage).min(1, "required").max(3, "too-many"),
    schedule: z.enum(["ONCE", "QUARTERLY", "HALF_YEARLY"], { error: "invalid" }).default("ONCE"),
    durationDays: int(1, 90),
    // The first campaign starts at the start of this day (today: at once); empty: today.
    startOn: optionalCalendarDate(),
    defaultDecision: Decision.default("KEEP"),
    riskyDefault: Decision.default("END"),
    applyImmediately: flag.default(false),
    inactiveDays: int(7, 730).default(90),
    contractEndDays: int(1, 365).default(30),
    remindDaysBefore: int(0, 30).default(3),
    escalateAfterDays: z.preprocess((v) => (v === "" || v === null ? undefined : v), int(1, 60).optional()),
  })
  .superRefine((d, ctx) => {
    if (d.remindDaysBefore >= d.durationDays && d.remindDaysBefore > 0)
      ctx.addIssue({ code: "custom", path: ["remindDaysBefore"], message: "reminder-after-start" });
    if (d.escalateAfterDays !== undefined && d.escalateAfterDays >= d.durationDays)
      ctx.addIssue({ code: "custom", path: ["escalateAfterDays"], message: "escalation-after-deadline" });
  });
export type ReviewDefinitionInput = z.infer<typeof ReviewDefinitionInput>;

/** The settings a campaign freezes from its definition at the start. */
export const CampaignSettings = z.object({
  scope: ReviewScope,
  granularity: z.enum(["GRANT", "ACCOUNT"]),
  stages: z.array(ReviewStage).min(1).max(3),
  defaultDecision: Decision,
  riskyDefault: Decision,
  applyImmediately: z.boolean(),
  inactiveDays: z.number().int(),
  contractEndDays: z.number().int(),
  remindDaysBefore: z.number().int(),
  escalateAfterDays: z.number().int().nullable(),
});
export type CampaignSettings = z.infer<typeof CampaignSettings>;

export const StartCampaignInput = z.object({ definitionId: uuid() });

export const DecideItemInput = z
  .object({
    itemId: uuid(),
    decision: z.enum(["KEEP", "END", "SHORTEN"], { error: "invalid" }),
    // SHORTEN: the grant's new last day (it ends at the end of that day in the portal's time zone).
    newEndOn: optionalCalendarDate(),
    comment: optionalText(1000),
  })
  .superRefine((d, ctx) => {
    if (d.decision === "SHORTEN" && !d.newEndOn) ctx.addIssue({ code: "custom", path: ["newEndOn"], message: "required" });
  });
export type DecideItemInput = z.infer<typeof DecideItemInput>;

/**
 * One decision for many items: the items named, or every open item of the actor's in a campaign that
 * matches the filter; `decision: "RECOMMENDED"` ends only the items that carry a recommendation.
 */
export const BulkDecideItemsInput = z
  .object({
    campaignId: uuid(),
    itemIds: z.array(uuid()).max(5000, "too-many").optional(),
    filter: z
      .object({
        systemId: uuid().optional(),
        recommendation: z.enum([...RECOMMENDATIONS, "ANY", "NONE"], { error: "invalid" }).optional(),
        sensitive: z.enum(["YES", "NO"], { error: "invalid" }).optional(),
      })
      .optional(),
    decision: z.enum(["KEEP", "END", "RECOMMENDED"], { error: "invalid" }),
    comment: ReasonInput,
  })
  .superRefine((d, ctx) => {
    if (!d.itemIds?.length && !d.filter) ctx.addIssue({ code: "custom", path: ["itemIds"], message: "required" });
  });
export type BulkDecideItemsInput = z.infer<typeof BulkDecideItemsInput>;

export const ReassignItemsInput = z.object({
  itemIds: z.array(uuid()).min(1, "required").max(5000, "too-many"),
  reviewerId: uuid(),
  reason: ReasonInput,
});

export const CloseCampaignInput = z.object({ campaignId: uuid(), reason: ReasonInput });

export const RetireDefinitionInput = z.object({ definitionId: uuid(), reason: ReasonInput });

export function formatCampaignNumber(n: number) {
  return `REV-${String(n).padStart(6, "0")}`;
}
export function formatDefinitionNumber(n: number) {
  return `RD-${String(n).padStart(6, "0")}`;
}
