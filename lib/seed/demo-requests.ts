import type { Tx } from "@/lib/db";
import { NO_CONTEXT, type PersonActor } from "@/lib/authz/actor";
import { submitRequest } from "@/lib/requests/submit-request";
import { decideRequest } from "@/lib/requests/decide-request";
import { createDelegation } from "@/lib/delegation/create-delegation";
import { addDays, dayIn } from "@/lib/time/calendar";
import { DEFAULT_TIME_ZONE } from "@/lib/delegation/schemas";

// Access requests in the demo: a few waiting in the inbox of E0003 (head of Marketing) — standard ones
// that can be approved in bulk and a sensitive one — and one already approved by E0003 and the CRM
// administrator E0002. Made through the use cases, as the people themselves, so the trail is real.
export const DEMO_REQUESTS: { employeeNo: string; system: string; role: string; days: number | null; justification: string }[] = [
  {
    employeeNo: "E0101",
    system: "DATA-PLAT",
    role: "ANALYST",
    days: 90,
    justification: "Quarterly market-share analysis for the pricing committee.",
  },
  {
    employeeNo: "E0102",
    system: "CRM",
    role: "STATS_ANALYST",
    days: null,
    justification: "Weekly campaign statistics for the marketing plan.",
  },
  {
    employeeNo: "E0104",
    system: "DATA-PLAT",
    role: "DATA_OPERATOR",
    days: 60,
    justification: "Reconcile service records for the enterprise tariff review (ticket MKT-2026-031).",
  },
];
export const DEMO_APPROVED_REQUEST = {
  employeeNo: "E0105",
  system: "CRM",
  role: "STATS_ANALYST",
  days: 180,
  justification: "Monthly sales reporting to the branch.",
};

export async function actorOf(tx: Tx, employeeNo: string): Promise<PersonActor> {
  const p = await tx.person.findUniqueOrThrow({
    where: { employeeNo },
    select: {
      id: true,
      name: true,
      employeeNo: true,
      orgUnitId: true,
      account: { select: { id: true } },
      roleAssignments: { select: { role: true, systemId: true, orgUnitId: true, orgUnit: { select: { path: true } } } },
    },
  });
  return {
    kind: "person",
    personId: p.id,
    accountId: p.account!.id,
    name: p.name,
    employeeNo: p.employeeNo,
    orgUnitId: p.orgUnitId,
    sessionId: null,
    roles: p.roleAssignments.map((r) => ({
      role: r.role,
      systemId: r.systemId,
      orgUnitId: r.orgUnitId,
      orgUnitPath: r.orgUnit?.path ?? null,
    })),
    ctx: { ...NO_CONTEXT, requestId: "demo-seed" },
  };
}

async function roleId(tx: Tx, system: string, role: string) {
  return (await tx.jobRole.findFirstOrThrow({ where: { code: role, system: { code: system } }, select: { id: true } })).id;
}

function day(now: Date, days: number) {
  return addDays(dayIn(now), days);
}

export async function seedDemoRequests(tx: Tx, now: Date): Promise<{ pending: number; approved: number }> {
  for (const r of DEMO_REQUESTS) {
    const actor = await actorOf(tx, r.employeeNo);
    await submitRequest(
      tx,
      actor,
      {
        subjectId: actor.personId,
        roleId: await roleId(tx, r.system, r.role),
        justification: r.justification,
        endsAt: r.days ? day(now, r.days) : null,
      },
      now,
    );
  }
  const a = DEMO_APPROVED_REQUEST;
  const requester = await actorOf(tx, a.employeeNo);
  const made = await submitRequest(
    tx,
    requester,
    { subjectId: requester.personId, roleId: await roleId(tx, a.system, a.role), justification: a.justification, endsAt: day(now, a.days) },
    now,
  );
  await decideRequest(
    tx,
    await actorOf(tx, "E0003"),
    { requestId: made.id, outcome: "APPROVE", comment: "Needed for the monthly report." },
    now,
  );
  await decideRequest(tx, await actorOf(tx, "E0002"), { requestId: made.id, outcome: "APPROVE", comment: "Read-only statistics." }, now);
  return { pending: DEMO_REQUESTS.length, approved: 1 };
}

// Out of office in the demo: the head of Customer Service (E0106) is away this week and E0108 decides
// for them; the head of Marketing (E0003) has leave planned in a fortnight, with E0103 standing in.
export const DEMO_DELEGATIONS: { delegator: string; delegate: string; fromDay: number; toDay: number; reason: string }[] = [
  { delegator: "E0106", delegate: "E0108", fromDay: 0, toDay: 4, reason: "Training course at the provincial company." },
  { delegator: "E0003", delegate: "E0103", fromDay: 14, toDay: 20, reason: "Annual leave." },
];

export async function seedDemoDelegations(tx: Tx, now: Date): Promise<number> {
  for (const d of DEMO_DELEGATIONS) {
    const delegator = await actorOf(tx, d.delegator);
    await createDelegation(
      tx,
      delegator,
      {
        delegateEmployeeNo: d.delegate,
        startsOn: dayIn(new Date(now.getTime() + d.fromDay * 86_400_000), DEFAULT_TIME_ZONE),
        endsOn: dayIn(new Date(now.getTime() + d.toDay * 86_400_000), DEFAULT_TIME_ZONE),
        reason: d.reason,
      },
      now,
    );
  }
  return DEMO_DELEGATIONS.length;
}
