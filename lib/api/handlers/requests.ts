import type { Tx } from "@/lib/db";
import { getDb } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import type { ApiHandlerContext, ApiHandlerResult } from "@/lib/http/api";
import { submitRequest } from "@/lib/requests/submit-request";
import { decideRequest } from "@/lib/requests/decide-request";
import { cancelRequest } from "@/lib/requests/cancel-request";
import type { cancelAccessRequest, decideAccessRequest, getAccessRequest, submitAccessRequest } from "../routes";
import { loadRequestView, requestSystemId } from "../request-view";
import { withApiFieldNames } from "./fields";

type Submit = typeof submitAccessRequest;
type Get = typeof getAccessRequest;
type Decide = typeof decideAccessRequest;
type Cancel = typeof cancelAccessRequest;

const SUBMIT_FIELDS = { subjectId: "subjectEmployeeNo", roleId: "roleCode", idempotencyKey: "Idempotency-Key" };

/** POST /requests: codes to ids, the token's scope, then submitRequest as the person acting. */
export async function submitRequestHandler(tx: Tx, ctx: ApiHandlerContext<Submit>): Promise<ApiHandlerResult<Submit>> {
  const { body, person } = ctx;
  const system = await tx.businessSystem.findUnique({ where: { code: body.systemCode }, select: { id: true } });
  if (!system) throw new DomainError("NOT_FOUND", { field: "systemCode" });
  ctx.requireSystem(system.id);
  const role = await tx.jobRole.findUnique({
    where: { systemId_code: { systemId: system.id, code: body.roleCode } },
    select: { id: true },
  });
  if (!role) throw new DomainError("NOT_FOUND", { field: "roleCode" });
  let subjectId = person.personId;
  if (body.subjectEmployeeNo) {
    const subject = await tx.person.findUnique({ where: { employeeNo: body.subjectEmployeeNo }, select: { id: true } });
    if (!subject) throw new DomainError("NOT_FOUND", { field: "subjectEmployeeNo" });
    subjectId = subject.id;
  }
  const submitted = await withApiFieldNames(SUBMIT_FIELDS, () =>
    submitRequest(
      tx,
      person,
      {
        subjectId,
        roleId: role.id,
        justification: body.justification,
        endsAt: body.endsAt,
        kind: body.kind,
        renewsGrantId: body.renewsGrantId,
        // Keys are per token: two integrations acting for one person never collide.
        idempotencyKey: ctx.idempotencyKey ? `api-${ctx.token.prefix}-${ctx.idempotencyKey}` : undefined,
      },
      ctx.now,
    ),
  );
  const view = await loadRequestView(tx, submitted.id);
  return { body: view!, resourceId: submitted.id };
}

/** GET /requests/{id}: any request of the token's systems. */
export async function getRequestHandler(ctx: ApiHandlerContext<Get>): Promise<ApiHandlerResult<Get>> {
  const systemId = await requestSystemId(getDb(), ctx.params.id);
  if (!systemId) throw new DomainError("NOT_FOUND", { field: "id" });
  ctx.requireSystem(systemId);
  const view = await loadRequestView(getDb(), ctx.params.id);
  if (!view) throw new DomainError("NOT_FOUND", { field: "id" });
  return { body: view, resourceId: view.id };
}

/** POST /requests/{id}/decisions: decideRequest as the person acting (an approver of the active stage). */
export async function decideRequestHandler(tx: Tx, ctx: ApiHandlerContext<Decide>): Promise<ApiHandlerResult<Decide>> {
  const systemId = await requestSystemId(tx, ctx.params.id);
  if (!systemId) throw new DomainError("NOT_FOUND", { field: "id" });
  ctx.requireSystem(systemId);
  const result = await withApiFieldNames({ requestId: "id" }, () =>
    decideRequest(
      tx,
      ctx.person,
      { requestId: ctx.params.id, outcome: ctx.body.outcome, comment: ctx.body.comment, stageId: ctx.body.stageId },
      ctx.now,
    ),
  );
  const view = await loadRequestView(tx, ctx.params.id);
  return { body: { decision: { outcome: result.outcome, repeated: result.repeated }, request: view! }, resourceId: ctx.params.id };
}

/** POST /requests/{id}/cancel: the requester or the subject withdraws it. */
export async function cancelRequestHandler(tx: Tx, ctx: ApiHandlerContext<Cancel>): Promise<ApiHandlerResult<Cancel>> {
  const systemId = await requestSystemId(tx, ctx.params.id);
  if (!systemId) throw new DomainError("NOT_FOUND", { field: "id" });
  ctx.requireSystem(systemId);
  await withApiFieldNames({ requestId: "id" }, () =>
    cancelRequest(tx, ctx.person, { requestId: ctx.params.id, reason: ctx.body.reason }, ctx.now),
  );
  const view = await loadRequestView(tx, ctx.params.id);
  return { body: view!, resourceId: ctx.params.id };
}
