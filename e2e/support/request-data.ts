import { randomBytes } from "node:crypto";
import { inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { createOrgUnit } from "@/lib/org/create-org-unit";
import { createPerson } from "@/lib/people/create-person";
import { setOrgUnitHead } from "@/lib/org/set-org-unit-head";
import { TEST_PASSWORD } from "./data";

/**
 * A team of its own for access-request journeys: a unit under Marketing with its head and one staff
 * member (password-only sign-in, no portal role), so no other test's people are asked to approve.
 */
export async function createRequestTeam() {
  const suffix = randomBytes(4).toString("hex");
  const actor = systemActor("e2e-setup");
  return inTransaction(async (tx) => {
    const mkt = await tx.orgUnit.findUniqueOrThrow({ where: { code: "MKT" }, select: { id: true } });
    const unit = await createOrgUnit(tx, actor, {
      code: `T-REQ-${suffix}`,
      name: `申请测试组${suffix}`,
      nameEn: `Request team ${suffix}`,
      parentId: mkt.id,
    });
    const make = async (label: string, jobTitle: string) => {
      const employeeNo = `R${label}${suffix}`;
      const { person } = await createPerson(
        tx,
        actor,
        {
          employeeNo,
          name: `${jobTitle}${suffix}`,
          orgUnitId: unit.id,
          jobTitle,
          employmentType: "EMPLOYEE",
          email: `${employeeNo.toLowerCase()}@e2e.example`,
        },
        { initialPassword: TEST_PASSWORD },
      );
      return { id: person.id, employeeNo, name: person.name };
    };
    const head = await make("H", "组长");
    const staff = await make("S", "营销专员");
    await setOrgUnitHead(tx, actor, { orgUnitId: unit.id, personId: head.id });
    return { unitId: unit.id, head, staff };
  });
}
