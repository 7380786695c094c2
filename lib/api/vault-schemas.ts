import { z } from "zod";
import { CreateVaultRequestInput } from "@/lib/vault/schemas";
import { VaultStatus } from "@/lib/generated/prisma/enums";
import { EmployeeNo, IsoDateTime, PersonRef, Uuid } from "./schemas";
import { text } from "@/lib/validation";

// Vault mode through the API (R14): the body reuses the use case's field schemas (lib/vault/schemas.ts);
// the operator is the person acting (X-Acting-As), the approver is named by employee number.

const fields = CreateVaultRequestInput.shape;

export const VaultRequestBody = z
  .object({
    scenarioCode: fields.scenarioCode.describe(
      'A scenario your system declared (Administration → Vault scenarios), e.g. "CRM:bulk-export".',
    ),
    approverEmployeeNo: EmployeeNo.describe(
      "The approver, from GET /vault/approvers: eligible for the scenario, online, not the operator.",
    ),
    operation: fields.operation.describe('Exactly what the approval allows, e.g. "export:customers".'),
    targetType: fields.targetType.describe('What it is done to, e.g. "customer-segment".'),
    targetId: fields.targetId,
    targetLabel: fields.targetLabel.describe("How the approver sees the target."),
    reason: fields.reason.describe("Why, shown to the approver."),
    context: fields.context.describe("Up to 20 small values shown to the approver."),
  })
  .meta({ id: "VaultRequestCreate" });

export const VaultRequestView = z
  .object({
    id: Uuid,
    status: z
      .enum(Object.values(VaultStatus) as [VaultStatus, ...VaultStatus[]])
      .describe("PENDING until the approver answers; APPROVED (usable once until validUntil), REJECTED, EXPIRED, CONSUMED or CANCELLED."),
    scenario: z.object({ code: text(), name: text() }),
    operation: text(),
    targetType: text(),
    targetId: text(),
    targetLabel: text().nullable(),
    operator: PersonRef,
    approver: PersonRef,
    decisionComment: text().nullable(),
    createdAt: IsoDateTime,
    expiresAt: IsoDateTime.describe("An unanswered prompt lapses then."),
    decidedAt: IsoDateTime.nullable(),
    validUntil: IsoDateTime.nullable().describe("An approval is usable once until then."),
  })
  .meta({ id: "VaultRequest" });
export type VaultRequestView = z.infer<typeof VaultRequestView>;

export const VaultWaitQuery = z.object({
  wait: z.coerce
    .number({ message: "invalid" })
    .int("invalid")
    .min(0, "invalid")
    .max(60, "invalid")
    .default(0)
    .describe("Long-poll: answer as soon as the request is decided, or after this many seconds (0–60) with its current state."),
});

export const VaultApproversQuery = z.object({ scenario: fields.scenarioCode.describe("The scenario's code.") });

export const VaultApprovers = z
  .object({
    data: z.array(PersonRef.extend({ orgUnit: text() })).describe("Who may approve this scenario for the operator and is online now."),
  })
  .meta({ id: "VaultApprovers" });
