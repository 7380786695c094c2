// The HR feed over SCIM 2.0 (issue 11 §1, R11): the route handlers called with real Requests; joiners,
// movers and leavers through the portal's use cases; SCIM errors with nothing written; every call audited.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { GET as listRoute, POST as createRoute } from "@/app/scim/v2/Users/route";
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute, PUT as putRoute } from "@/app/scim/v2/Users/[id]/route";
import { POST as bulkRoute } from "@/app/scim/v2/Bulk/route";
import { GET as configRoute } from "@/app/scim/v2/ServiceProviderConfig/route";
import { GET as schemasRoute } from "@/app/scim/v2/Schemas/route";
import { GET as typesRoute } from "@/app/scim/v2/ResourceTypes/route";
import { CORE, ENTERPRISE, PORTAL } from "@/lib/hr-feed/scim-user";
import { addDays, dayIn } from "@/lib/time/calendar";
import { auditMark, auditSince, makeOrgUnit, makePerson, makeSystem, makeVendor, makeSponsor, uniq } from "../factories";
import { makeApiToken } from "../api-helpers";
import { grantOf, liveGrantCount, systemWithRoles } from "../lifecycle-fixtures";

type Handler = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

async function call(handler: Handler, method: string, path: string, token: string | null, body?: unknown, id?: string) {
  const headers: Record<string, string> = { "content-type": "application/scim+json", "user-agent": "vitest-scim" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await handler(
    new Request(`http://localhost/scim/v2${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
    {
      params: Promise.resolve({ id: id ?? "" }),
    },
  );
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    location: response.headers.get("location"),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

async function hrToken() {
  return (await makeApiToken([], ["hr:write"])).secret;
}

async function department() {
  const code = `D${uniq(3)}`.toUpperCase();
  const unit = await makeOrgUnit({ name: `Unit ${code}` });
  await getDb().orgUnit.update({ where: { id: unit.id }, data: { code } });
  return { ...unit, code };
}

const joiner = (employeeNo: string, dept: string, extra: Record<string, unknown> = {}) => ({
  schemas: [CORE, ENTERPRISE],
  userName: employeeNo,
  displayName: "张三",
  title: "客服代表",
  emails: [{ value: `${employeeNo.toLowerCase()}@example.test`, primary: true }],
  [ENTERPRISE]: { employeeNumber: employeeNo, department: dept },
  ...extra,
});

describe("HR feed: discovery and authentication", () => {
  it("answers ServiceProviderConfig, Schemas and ResourceTypes; refuses a missing token and a token without hr:write", async () => {
    const token = await hrToken();
    const config = await call(configRoute as Handler, "GET", "/ServiceProviderConfig", token);
    expect(config.status).toBe(200);
    expect(config.type).toBe("application/scim+json");
    expect(config.body).toMatchObject({ patch: { supported: true }, bulk: { supported: true }, filter: { supported: true } });
    const schemas = await call(schemasRoute as Handler, "GET", "/Schemas", token);
    expect((schemas.body!.Resources as { id: string }[]).map((s) => s.id)).toEqual([CORE, ENTERPRISE, PORTAL]);
    const types = await call(typesRoute as Handler, "GET", "/ResourceTypes", token);
    expect(types.body).toMatchObject({ Resources: [{ id: "User", endpoint: "/Users", schema: CORE }] });

    expect((await call(listRoute as Handler, "GET", "/Users", null)).status).toBe(401);
    const other = await makeApiToken([(await makeSystem()).id], ["grants:read"]);
    const refused = await call(listRoute as Handler, "GET", "/Users", other.secret);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "403" });
    // Only an HR-feed token may go without business systems.
    await expect(makeApiToken([], ["grants:read"])).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["systemIds"], message: "required" })],
    });
    await expect(makeApiToken([], ["hr:write", "grants:read"])).rejects.toThrow();
  });
});

describe("HR feed: joiners, movers, leavers", () => {
  it("creates a joiner (201, Location), reads it back, finds it by filter; every call audited with the token", async () => {
    const token = await hrToken();
    const dept = await department();
    const no = `S${uniq(4)}`;
    const mark = await auditMark();
    const created = await call(createRoute as Handler, "POST", "/Users", token, joiner(no, dept.code));
    expect(created.status).toBe(201);
    expect(created.location).toMatch(/\/scim\/v2\/Users\/[0-9a-f-]{36}$/);
    expect(created.body).toMatchObject({ userName: no, displayName: "张三", active: true, [ENTERPRISE]: { department: dept.code } });
    // Personal data is write-only.
    expect(JSON.stringify(created.body)).not.toContain("@example.test");
    const person = await getDb().person.findUniqueOrThrow({ where: { employeeNo: no } });
    expect(person).toMatchObject({ orgUnitId: dept.id, jobTitle: "客服代表", status: "ACTIVE" });

    const read = await call(getRoute as Handler, "GET", `/Users/${person.id}`, token, undefined, person.id);
    expect(read.body).toMatchObject({ id: person.id, userName: no });
    const found = await call(listRoute as Handler, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${no}"`)}`, token);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: person.id }] });

    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["person.created", "api.called"]));
    const calls = rows.filter((r) => r.action === "api.called").map((r) => (r.summary as { route: string; status: number }).route);
    expect(calls).toEqual(["/scim/v2/Users", "/scim/v2/Users/{id}", "/scim/v2/Users"]);
  });

  it("bad input gets a SCIM error and writes nothing: unknown attribute, wrong type, hostile string, unknown department/manager/vendor, duplicate", async () => {
    const token = await hrToken();
    const dept = await department();
    const existing = await makePerson();
    const mark = await auditMark();
    const cases: [unknown, number, string][] = [
      [{ ...joiner(`S${uniq(4)}`, dept.code), nickname2: "x" }, 400, "invalidSyntax"],
      [{ ...joiner(`S${uniq(4)}`, dept.code), active: "yes" }, 400, "invalidValue"],
      [joiner(`S${uniq(4)}`, dept.code, { displayName: "bad\u0000name" }), 400, "invalidValue"],
      [joiner(`S${uniq(4)}`, "NO-SUCH-UNIT"), 400, "invalidValue"],
      [
        { ...joiner(`S${uniq(4)}`, dept.code), [ENTERPRISE]: { department: dept.code, manager: { value: "NOBODY99" } } },
        400,
        "invalidValue",
      ],
      [
        {
          ...joiner(`S${uniq(4)}`, dept.code),
          schemas: [CORE, ENTERPRISE, PORTAL],
          [PORTAL]: { employmentType: "THIRD_PARTY", vendor: "No such vendor" },
        },
        400,
        "invalidValue",
      ],
      [joiner(existing.employeeNo, dept.code), 409, "uniqueness"],
      [{ schemas: ["urn:nope"], userName: "X" }, 400, "invalidSyntax"],
    ];
    for (const [body, status, scimType] of cases) {
      const res = await call(createRoute as Handler, "POST", "/Users", token, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body).toMatchObject({ status: String(status), scimType });
    }
    const malformed = await call(createRoute as Handler, "POST", "/Users", token, "{not json");
    expect(malformed).toMatchObject({ status: 400, body: { scimType: "invalidSyntax" } });
    // Only the refusals were recorded.
    expect(new Set((await auditSince(mark)).map((r) => r.action))).toEqual(new Set(["api.called"]));
  });

  it("a mover (department change over PUT and PATCH) loses sensitive grants; active=false offboards with a case; a leaver cannot come back", async () => {
    const token = await hrToken();
    const from = await department();
    const to = await department();
    const no = `S${uniq(4)}`;
    const created = await call(createRoute as Handler, "POST", "/Users", token, joiner(no, from.code));
    const id = created.body!.id as string;
    const s = await systemWithRoles({ connected: true });
    await grantOf(s.admin.actor, id, s.low.id);
    await grantOf(s.admin.actor, id, s.sensitive.id);

    const moved = await call(putRoute as Handler, "PUT", `/Users/${id}`, token, joiner(no, to.code, { title: "数据分析" }), id);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ title: "数据分析", [ENTERPRISE]: { department: to.code } });
    expect(await liveGrantCount(id)).toBe(1);

    const patched = await call(
      patchRoute as Handler,
      "PATCH",
      `/Users/${id}`,
      token,
      {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: `${ENTERPRISE}:department`, value: from.code }],
      },
      id,
    );
    expect(patched.status).toBe(200);
    expect((await getDb().person.findUniqueOrThrow({ where: { id } })).orgUnitId).toBe(from.id);

    const gone = await call(
      patchRoute as Handler,
      "PATCH",
      `/Users/${id}`,
      token,
      { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] },
      id,
    );
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ active: false, [PORTAL]: { status: "LEFT" } });
    expect(await liveGrantCount(id)).toBe(0);
    const c = await getDb().offboardingCase.findFirstOrThrow({ where: { personId: id } });
    expect(c).toMatchObject({ status: "COMPLETED", reason: "HR feed (SCIM): deactivated" });

    // Already gone: a clear 409, nothing written.
    const mark = await auditMark();
    const again = await call(deleteRoute as Handler, "DELETE", `/Users/${id}`, token, undefined, id);
    expect(again).toMatchObject({ status: 409, body: { status: "409" } });
    const back = await call(putRoute as Handler, "PUT", `/Users/${id}`, token, joiner(no, from.code), id);
    expect(back.status).toBe(409);
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["api.called", "api.called"]);
    // Unknown ids are 404; a changed userName is refused (mutability).
    expect(
      (
        await call(
          getRoute as Handler,
          "GET",
          "/Users/0190a000-0000-7000-8000-000000000000",
          token,
          undefined,
          "0190a000-0000-7000-8000-000000000000",
        )
      ).status,
    ).toBe(404);
  });

  it("Bulk: each operation on its own — a good joiner is created, a bad one refused, DELETE offboards; third parties with vendor, sponsor and contract end", async () => {
    const token = await hrToken();
    const dept = await department();
    const vendor = await makeVendor();
    const sponsor = await makeSponsor();
    const sponsorNo = (await getDb().person.findUniqueOrThrow({ where: { id: sponsor } })).employeeNo;
    const leaver = await makePerson();
    const good = `S${uniq(4)}`;
    const third = `S${uniq(4)}`;
    const contractEnd = addDays(dayIn(new Date()), 60);
    const res = await call(bulkRoute as Handler, "POST", "/Bulk", token, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "a", data: joiner(good, dept.code) },
        { method: "POST", path: "/Users", bulkId: "b", data: joiner(`S${uniq(4)}`, "NO-SUCH-UNIT") },
        {
          method: "POST",
          path: "/Users",
          bulkId: "c",
          data: {
            ...joiner(third, dept.code),
            schemas: [CORE, ENTERPRISE, PORTAL],
            [PORTAL]: { employmentType: "THIRD_PARTY", vendor: vendor.name, sponsor: sponsorNo, contractEndsOn: contractEnd },
          },
        },
        { method: "DELETE", path: `/Users/${leaver.person.id}` },
      ],
    });
    expect(res.status).toBe(200);
    const ops = res.body!.Operations as { bulkId?: string; status: string; location?: string }[];
    expect(ops.map((o) => o.status)).toEqual(["201", "400", "201", "204"]);
    expect(ops[0]!.location).toMatch(/\/Users\//);
    expect(await getDb().person.count({ where: { employeeNo: good } })).toBe(1);
    expect(await getDb().person.findUniqueOrThrow({ where: { employeeNo: third } })).toMatchObject({
      employmentType: "THIRD_PARTY",
      vendorId: vendor.id,
      sponsorId: sponsor,
    });
    expect((await getDb().person.findUniqueOrThrow({ where: { id: leaver.person.id } })).status).toBe("LEFT");
  });
});
