import { z } from "zod";
import { RECOMMENDATIONS } from "@/lib/reviews/schemas";
import { text } from "@/lib/validation";
import { GrantCursor, IsoDateTime, PageLimit, PersonRef, Uuid } from "./schemas";

// The access-review routes (issue 12 §9): campaigns and items readable, decisions writable.

// Pages are keyset by id: the same opaque cursor as the grants list.
const Cursor = GrantCursor;

export const CampaignsQuery = z.object({
  status: z.enum(["ACTIVE", "CLOSED"], { error: "invalid" }).optional().describe("Only active or only closed campaigns."),
  cursor: Cursor.optional(),
  limit: PageLimit,
});

export const CampaignView = z
  .object({
    id: Uuid,
    number: text().describe("REV-000123: the number people quote."),
    name: text(),
    status: z.enum(["ACTIVE", "CLOSED"]),
    startedAt: IsoDateTime,
    deadlineAt: IsoDateTime.describe("Undecided items get the default decision at this moment."),
    closedAt: IsoDateTime.nullable(),
    items: z.number().int().describe("Items in the token's systems."),
    decided: z.number().int().describe("Of those, decided (by a reviewer or by default)."),
  })
  .meta({ id: "ReviewCampaign" });

export const CampaignsPage = z.object({ data: z.array(CampaignView), nextCursor: text().nullable() }).meta({ id: "ReviewCampaignsPage" });

export const ItemsQuery = z.object({
  status: z.enum(["OPEN", "DECIDED"], { error: "invalid" }).optional(),
  cursor: Cursor.optional(),
  limit: PageLimit,
});

export const ItemView = z
  .object({
    id: Uuid,
    campaignId: Uuid,
    person: PersonRef.nullable().describe("null: an orphan account (no known owner)."),
    system: z.object({ code: text() }),
    account: z.object({ loginName: text() }),
    role: z.object({ code: text() }).nullable().describe("null: an account item (all of its roles)."),
    sensitive: z.boolean(),
    thirdParty: z.boolean(),
    recommendation: z.enum(RECOMMENDATIONS).nullable().describe("Why the portal suggests ending it, if it does."),
    stage: z.number().int().describe("The current (or last) stage, 1-based."),
    reviewer: PersonRef.nullable().describe("Who decides the current stage."),
    status: z.enum(["OPEN", "DECIDED"]),
    decision: z.enum(["KEEP", "END", "SHORTEN"]).nullable(),
    newEndsAt: IsoDateTime.nullable(),
    comment: text().nullable(),
    decidedBy: PersonRef.nullable().describe("null with a decision: the campaign's default at the deadline."),
    decidedAt: IsoDateTime.nullable(),
    decisionSource: z.enum(["REVIEWER", "BULK", "RECOMMENDATION", "DEFAULT"]).nullable(),
    applied: z.enum(["NONE", "PENDING", "APPLIED"]).describe("Whether the decision has been applied to the access."),
  })
  .meta({ id: "ReviewItem" });
export type ItemView = z.infer<typeof ItemView>;

export const ItemsPage = z.object({ data: z.array(ItemView), nextCursor: text().nullable() }).meta({ id: "ReviewItemsPage" });

export const ReviewDecisionBody = z
  .object({
    decision: z.enum(["KEEP", "END", "SHORTEN"], { error: "invalid" }),
    newEndOn: z
      .union([text(), z.null()])
      .optional()
      .describe('SHORTEN: the new last day ("2026-12-31"; the access ends at the end of that day in the portal\'s time zone).'),
    comment: text().optional().describe("Why; required to keep a sensitive item."),
  })
  .meta({ id: "ReviewDecision" });
