import { getDb, type Tx } from "@/lib/db";
import { formatRequestNumber } from "@/lib/requests/workflow";
import type { RequestView } from "./request-schemas";

type Db = Tx | ReturnType<typeof getDb>;
const iso = (d: Date | null) => d?.toISOString() ?? null;
const personSelect = { select: { employeeNo: true, name: true } } as const;

/** The system a request is for (for the token's scope check), or null when there is no such request. */
export async function requestSystemId(db: Db, requestId: string): Promise<string | null> {
  const r = await db.accessRequest.findUnique({ where: { id: requestId }, select: { systemId: true } });
  return r?.systemId ?? null;
}

/** A request as the REST API shows it: status, every stage with its approvers and decisions, the grant. */
export async function loadRequestView(db: Db, requestId: string): Promise<RequestView | null> {
  const r = await db.accessRequest.findUnique({
    where: { id: requestId },
    select: {
      id: true,
      number: true,
      kind: true,
      status: true,
      justification: true,
      startsAt: true,
      endsAt: true,
      isSensitive: true,
      isAdministrative: true,
      createdAt: true,
      expiresAt: true,
      decidedAt: true,
      closingNote: true,
      grantId: true,
      system: { select: { code: true, name: true } },
      role: { select: { code: true, name: true } },
      subject: personSelect,
      requester: personSelect,
      stages: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          position: true,
          kind: true,
          rule: true,
          requiredCount: true,
          status: true,
          activatedAt: true,
          decidedAt: true,
          approvers: { orderBy: { createdAt: "asc" }, select: { source: true, isOpen: true, approver: personSelect } },
          decisions: {
            orderBy: { createdAt: "asc" },
            select: { outcome: true, comment: true, createdAt: true, onBehalfOfId: true, approver: personSelect },
          },
        },
      },
    },
  });
  if (!r) return null;
  const onBehalfIds = [...new Set(r.stages.flatMap((s) => s.decisions.map((d) => d.onBehalfOfId)).filter((id): id is string => !!id))];
  const onBehalf = onBehalfIds.length
    ? await db.person.findMany({ where: { id: { in: onBehalfIds } }, select: { id: true, employeeNo: true, name: true } })
    : [];
  const personOf = new Map(onBehalf.map((p) => [p.id, { employeeNo: p.employeeNo, name: p.name }]));
  return {
    id: r.id,
    number: formatRequestNumber(r.number),
    kind: r.kind,
    status: r.status,
    system: r.system,
    role: r.role,
    subject: r.subject,
    requester: r.requester,
    justification: r.justification,
    startsAt: iso(r.startsAt),
    endsAt: iso(r.endsAt),
    isSensitive: r.isSensitive,
    isAdministrative: r.isAdministrative,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    decidedAt: iso(r.decidedAt),
    closingNote: r.closingNote,
    grantId: r.grantId,
    stages: r.stages.map((s) => ({
      id: s.id,
      position: s.position,
      kind: s.kind,
      rule: s.rule,
      requiredCount: s.requiredCount,
      status: s.status,
      activatedAt: iso(s.activatedAt),
      decidedAt: iso(s.decidedAt),
      approvers: s.approvers.map((a) => ({ ...a.approver, source: a.source, isOpen: a.isOpen })),
      decisions: s.decisions.map((d) => ({
        approver: d.approver,
        onBehalfOf: d.onBehalfOfId ? (personOf.get(d.onBehalfOfId) ?? null) : null,
        outcome: d.outcome,
        comment: d.comment,
        decidedAt: d.createdAt.toISOString(),
      })),
    })),
  };
}
