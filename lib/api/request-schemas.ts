import { z } from "zod";
import { DecideRequestInput, RequestEndsAt, SubmitRequestInput, CancelRequestInput } from "@/lib/requests/schemas";
import {
  ApproverSource,
  DecisionOutcome,
  RequestKind,
  RequestStatus,
  StageKind,
  StageRule,
  StageStatus,
} from "@/lib/generated/prisma/enums";
import { EmployeeNo, IsoDateTime, PersonRef, Uuid } from "./schemas";
import { text } from "@/lib/validation";

// The access-request routes' bodies reuse the use cases' own field schemas (lib/requests/schemas.ts);
// integrations name people, systems and roles by their codes instead of ids.

const code = (what: string) => text().trim().min(1, "required").max(64, "too-long").describe(what);

export const SubmitRequestBody = z
  .object({
    subjectEmployeeNo: EmployeeNo.optional().describe(
      "Whom the access is for (default: the person acting, X-Acting-As). Heads and approvers may ask for people in their scope, account administrators for anyone on their systems.",
    ),
    systemCode: code("The business system (one of the token's)."),
    roleCode: code("The job role's code in that system."),
    justification: SubmitRequestInput.shape.justification.describe("Why the access is needed (required)."),
    endsAt: RequestEndsAt.meta({
      description:
        'The end of the access: a day ("2026-12-31", through the end of that day in the portal\'s time zone, APP_TIME_ZONE), a date-time with offset, or null for permanent (employees on non-sensitive roles only).',
      anyOf: [{ type: "string", format: "date" }, { type: "string", format: "date-time" }, { type: "null" }],
    }),
    kind: SubmitRequestInput.shape.kind.describe("GRANT (default) or ELEVATION (R10: a time-boxed elevated role for a third party)."),
    renewsGrantId: SubmitRequestInput.shape.renewsGrantId.describe("A renewal names the live grant it extends."),
  })
  .meta({ id: "SubmitRequest" });

export const DecisionBody = z
  .object({
    outcome: DecideRequestInput.shape.outcome,
    comment: DecideRequestInput.shape.comment.describe("Required when rejecting."),
    stageId: DecideRequestInput.shape.stageId.describe(
      "The stage the approver saw; a decision for a stage that has moved on is a repeat or too late, never a decision on the next stage.",
    ),
  })
  .meta({ id: "Decision" });

export const CancelBody = z.object({ reason: CancelRequestInput.shape.reason.describe("Why it is withdrawn.") }).meta({ id: "Cancel" });

const enumOf = <T extends Record<string, string>>(e: T) => z.enum(Object.values(e) as [T[keyof T], ...T[keyof T][]]);

export const RequestView = z
  .object({
    id: Uuid,
    number: text().describe("REQ-000123: the number people quote."),
    kind: enumOf(RequestKind),
    status: enumOf(RequestStatus),
    system: z.object({ code: text(), name: text() }),
    role: z.object({ code: text(), name: text() }).nullable(),
    subject: PersonRef,
    requester: PersonRef,
    justification: text(),
    startsAt: IsoDateTime.nullable(),
    endsAt: IsoDateTime.nullable().describe("null: permanent."),
    isSensitive: z.boolean(),
    isAdministrative: z.boolean(),
    createdAt: IsoDateTime,
    expiresAt: IsoDateTime.describe("An undecided request expires then."),
    decidedAt: IsoDateTime.nullable(),
    closingNote: text().nullable(),
    grantId: Uuid.nullable().describe("The grant the final approval created."),
    stages: z.array(
      z.object({
        id: Uuid,
        position: z.number().int(),
        kind: enumOf(StageKind),
        rule: enumOf(StageRule),
        requiredCount: z.number().int(),
        status: enumOf(StageStatus),
        activatedAt: IsoDateTime.nullable(),
        decidedAt: IsoDateTime.nullable(),
        approvers: z.array(PersonRef.extend({ source: enumOf(ApproverSource), isOpen: z.boolean().describe("Still to decide.") })),
        decisions: z.array(
          z.object({
            approver: PersonRef,
            onBehalfOf: PersonRef.nullable().describe("Set when a delegate decided for someone out of office."),
            outcome: enumOf(DecisionOutcome),
            comment: text().nullable(),
            decidedAt: IsoDateTime,
          }),
        ),
      }),
    ),
  })
  .meta({ id: "Request" });
export type RequestView = z.infer<typeof RequestView>;

export const DecisionResponse = z
  .object({
    decision: z.object({
      outcome: enumOf(DecisionOutcome),
      repeated: z.boolean().describe("True when this approver had already made this same decision: nothing changed."),
    }),
    request: RequestView,
  })
  .meta({ id: "DecisionResult" });
