/**
 * Test data for delegation, the approval jobs, My access and elevations: a role on a new system,
 * pending requests with an active stage, and grants. Built on tests/factories.ts.
 */
import { getDb, inTransaction } from "@/lib/db";
import { createGrantUnderPolicy } from "@/lib/grants/create-grant";
import { FACTORY, makeJobRole, makeSystem, type SystemKind } from "./factories";

export type Sensitivity = "EXTREME" | "SENSITIVE" | "RELATIVE" | "LOW";

/** A new system with one job role carrying one permission of the given sensitivity. */
export async function roleOnNewSystem(
  opts: { sensitivity?: Sensitivity; connected?: boolean; administrative?: boolean; kind?: SystemKind } = {},
) {
  const system = await makeSystem({ kind: opts.kind ?? "PLATFORM" });
  if (opts.connected) await getDb().businessSystem.update({ where: { id: system.id }, data: { isConnected: true } });
  const sensitivity = opts.sensitivity ?? "LOW";
  const { role } = await makeJobRole(FACTORY, system.id, {
    administrative: opts.administrative,
    permissions: [{ sensitivity, dataKind: sensitivity === "LOW" ? "NONE" : "IDENTITY" }],
  });
  return { system, role };
}

/** A live grant of the role to the person (through the same path as grantRole / final approvals). */
export async function giveGrant(
  personId: string,
  roleId: string,
  opts: { endsAt?: Date | null; startsAt?: Date; requestId?: string; elevation?: boolean } = {},
) {
  const grant = await inTransaction((tx) =>
    createGrantUnderPolicy(
      tx,
      FACTORY,
      { personId, roleId, endsAt: opts.endsAt ?? null, reason: "Test setup" },
      { requestId: opts.requestId, elevation: opts.elevation },
    ),
  );
  if (opts.startsAt) await getDb().accessGrant.update({ where: { id: grant.id }, data: { startsAt: opts.startsAt } });
  return grant;
}

/**
 * A pending request whose stage 0 is active with these approvers (source RESOLVED), written directly
 * (the approval jobs and delegation only need the rows). Times default to now.
 */
export async function pendingRequest(opts: {
  requesterId: string;
  subjectId?: string;
  systemId: string;
  roleId: string;
  approverIds: string[];
  kind?: "GRANT" | "ELEVATION";
  createdAt?: Date;
  activatedAt?: Date;
  expiresAt?: Date;
}) {
  const db = getDb();
  const createdAt = opts.createdAt ?? new Date();
  const request = await db.accessRequest.create({
    data: {
      kind: opts.kind ?? "GRANT",
      requesterId: opts.requesterId,
      subjectId: opts.subjectId ?? opts.requesterId,
      systemId: opts.systemId,
      roleId: opts.roleId,
      justification: "Needed for the quarterly report",
      endsAt: new Date(Date.now() + 30 * 86_400_000),
      expiresAt: opts.expiresAt ?? new Date(createdAt.getTime() + 14 * 86_400_000),
      createdAt,
    },
  });
  const stage = await db.requestStage.create({
    data: { requestId: request.id, position: 0, kind: "DEPARTMENT_HEAD", status: "ACTIVE", activatedAt: opts.activatedAt ?? createdAt },
  });
  await db.requestStage.create({ data: { requestId: request.id, position: 1, kind: "SYSTEM_OWNER", status: "WAITING" } });
  if (opts.approverIds.length) {
    await db.stageApprover.createMany({
      data: opts.approverIds.map((approverId) => ({
        stageId: stage.id,
        requestId: request.id,
        approverId,
        requestCreatedAt: createdAt,
        createdAt: opts.activatedAt ?? createdAt,
      })),
    });
  }
  return { request, stage };
}

/** The open approver rows of a stage, as "approverId:source:onBehalfOfId". */
export async function openApprovers(stageId: string): Promise<string[]> {
  const rows = await getDb().stageApprover.findMany({
    where: { stageId, isOpen: true },
    select: { approverId: true, source: true, onBehalfOfId: true },
  });
  return rows.map((r) => `${r.approverId}:${r.source}:${r.onBehalfOfId ?? "-"}`).sort();
}
