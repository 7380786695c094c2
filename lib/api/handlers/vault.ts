import type { Tx } from "@/lib/db";
import { getDb } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import type { ApiHandlerContext, ApiHandlerResult } from "@/lib/http/api";
import { createVaultRequest } from "@/lib/vault/create-vault-request";
import { waitForVaultDecision } from "@/lib/vault/wait-for-decision";
import { listEligibleOnlineApprovers } from "@/lib/vault/approvers";
import type { createVaultApprovalRequest, getVaultApprovalRequest, listVaultApprovers } from "../routes";
import { loadVaultRequestView, vaultRequestScope } from "../vault-view";
import { withApiFieldNames } from "./fields";

type Create = typeof createVaultApprovalRequest;
type Get = typeof getVaultApprovalRequest;
type Approvers = typeof listVaultApprovers;

// A business system may use the scenarios it declared, nothing else (portal scenarios have no system).
async function scenarioInScope(
  db: Tx | ReturnType<typeof getDb>,
  ctx: { requireSystem: (id: string | null) => void },
  code: string,
  field: string,
) {
  const scenario = await db.vaultScenario.findUnique({ where: { code }, select: { id: true, systemId: true, isActive: true } });
  if (!scenario) throw new DomainError("NOT_FOUND", { field });
  ctx.requireSystem(scenario.systemId);
  return scenario;
}

/** POST /vault/requests: the operator (X-Acting-As) asks a named approver; the request records the token. */
export async function createVaultRequestHandler(tx: Tx, ctx: ApiHandlerContext<Create>): Promise<ApiHandlerResult<Create>> {
  const { body } = ctx;
  await scenarioInScope(tx, ctx, body.scenarioCode, "scenarioCode");
  const approver = await tx.person.findUnique({ where: { employeeNo: body.approverEmployeeNo }, select: { id: true } });
  if (!approver) throw new DomainError("NOT_FOUND", { field: "approverEmployeeNo" });
  const created = await withApiFieldNames({ approverId: "approverEmployeeNo", operatorId: "X-Acting-As" }, () =>
    createVaultRequest(
      tx,
      ctx.person,
      {
        scenarioCode: body.scenarioCode,
        approverId: approver.id,
        operation: body.operation,
        targetType: body.targetType,
        targetId: body.targetId,
        targetLabel: body.targetLabel,
        reason: body.reason,
        context: body.context,
        apiTokenId: ctx.token.id,
      },
      ctx.now,
    ),
  );
  const view = await loadVaultRequestView(tx, created.id, ctx.now);
  return { body: view!, resourceId: created.id };
}

/** GET /vault/requests/{id}?wait=N: the state now, or as soon as it is decided within N seconds. */
export async function getVaultRequestHandler(ctx: ApiHandlerContext<Get>): Promise<ApiHandlerResult<Get>> {
  const scope = await vaultRequestScope(getDb(), ctx.params.id);
  if (!scope) throw new DomainError("NOT_FOUND", { field: "id" });
  ctx.requireSystem(scope.systemId);
  if (ctx.query.wait > 0) await waitForVaultDecision(ctx.params.id, { timeoutMs: ctx.query.wait * 1000, signal: ctx.signal });
  const view = await loadVaultRequestView(getDb(), ctx.params.id);
  if (!view) throw new DomainError("NOT_FOUND", { field: "id" });
  return { body: view, resourceId: view.id };
}

/** GET /vault/approvers?scenario=: eligible approvers online now, for the operator acting. */
export async function listVaultApproversHandler(ctx: ApiHandlerContext<Approvers>): Promise<ApiHandlerResult<Approvers>> {
  const scenario = await scenarioInScope(getDb(), ctx, ctx.query.scenario, "scenario");
  if (!scenario.isActive) throw new DomainError("VAULT_SCENARIO_INACTIVE", { field: "scenario" });
  const rows = await listEligibleOnlineApprovers(ctx.person, ctx.query.scenario, ctx.now);
  return { body: { data: rows.map((r) => ({ employeeNo: r.employeeNo, name: r.name, orgUnit: r.orgUnitName })) } };
}
