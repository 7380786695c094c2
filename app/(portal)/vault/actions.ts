"use server";

import { z } from "zod";
import { getLocale } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { performAsActor } from "@/lib/http/perform";
import { actionError } from "@/lib/http/action-state";
import { listEligibleOnlineApprovers } from "@/lib/vault/approvers";
import { createVaultRequest } from "@/lib/vault/create-vault-request";
import { decideVaultRequest } from "@/lib/vault/decide-vault-request";
import { cancelVaultRequest } from "@/lib/vault/cancel-vault-request";
import { getVaultRequestView } from "@/lib/vault/queries";
import { ADMIN_GRANT_SCENARIO, REVEAL_PII_SCENARIO, vaultOperation } from "@/lib/vault/built-in";
import { text } from "@/lib/validation";

export type ApproverOption = { id: string; label: string };

/** The approvers the operator may pick: eligible for the scenario and online now. */
export async function listApproversAction(scenarioCode: string): Promise<ApproverOption[]> {
  const actor = await requireActor();
  const locale = await getLocale();
  const rows = await listEligibleOnlineApprovers(actor, String(scenarioCode).slice(0, 100));
  return rows.map((r) => ({
    id: r.id,
    label: `${r.name} (${r.employeeNo}) · ${locale === "en" && r.orgUnitNameEn ? r.orgUnitNameEn : r.orgUnitName}`,
  }));
}

// What a portal operation asks approval for: the operation string is built here, never taken from the browser.
const AskInput = z.discriminatedUnion("scenario", [
  z.object({ scenario: z.literal(REVEAL_PII_SCENARIO), personId: text(), field: z.enum(["phone", "email", "idNumber"]) }),
  z.object({ scenario: z.literal(ADMIN_GRANT_SCENARIO), personId: text(), roleId: text().uuid("invalid") }),
]);

export type AskState = { id?: string; expiresAt?: string; approverName?: string; error?: string; fieldErrors?: Record<string, string> };

export async function requestVaultApprovalAction(
  raw: z.input<typeof AskInput> & { approverId: string; reason: string },
): Promise<AskState> {
  try {
    const ask = AskInput.parse(raw);
    const operation = ask.scenario === REVEAL_PII_SCENARIO ? vaultOperation.revealPii(ask.field) : vaultOperation.grantRole(ask.roleId);
    const result = await performAsActor((tx, actor) =>
      createVaultRequest(tx, actor, {
        scenarioCode: ask.scenario,
        approverId: raw.approverId,
        operation,
        targetType: "person",
        targetId: ask.personId,
        reason: raw.reason,
      }),
    );
    return {
      id: result.id,
      expiresAt: result.expiresAt.toISOString(),
      approverName: `${result.approver.name} (${result.approver.employeeNo})`,
    };
  } catch (error) {
    const state = await actionError(error);
    return { error: state.formError, fieldErrors: state.fieldErrors };
  }
}

export type DecideState = { ok?: boolean; status?: string; error?: string };

export async function decideVaultAction(vaultRequestId: string, outcome: "APPROVE" | "REJECT", comment: string): Promise<DecideState> {
  try {
    const result = await performAsActor((tx, actor) => decideVaultRequest(tx, actor, { vaultRequestId, outcome, comment }));
    return { ok: true, status: result.status };
  } catch (error) {
    return { error: (await actionError(error)).formError };
  }
}

export async function cancelVaultAction(vaultRequestId: string): Promise<DecideState> {
  try {
    await performAsActor((tx, actor) => cancelVaultRequest(tx, actor, { vaultRequestId }));
    return { ok: true, status: "CANCELLED" };
  } catch (error) {
    return { error: (await actionError(error)).formError };
  }
}

/** The state of one's own vault request (a fallback beside server push). */
export async function vaultStatusAction(vaultRequestId: string): Promise<{ status: string | null }> {
  const actor = await requireActor();
  const view = await getVaultRequestView(actor, String(vaultRequestId));
  return { status: view && view.role !== "officer" ? view.status : null };
}
