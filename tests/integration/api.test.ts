// The REST API (/api/v1) end to end on real PostgreSQL: the route handlers called with real Requests,
// acting for named people through the use cases, every call audited, bad input and races answered with
// JSON codes and nothing written.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { RequestView, DecisionResponse } from "@/lib/api/request-schemas";
import { VaultApprovers, VaultRequestView } from "@/lib/api/vault-schemas";
import { GrantsPage } from "@/lib/api/schemas";
import { ErrorBody } from "@/lib/api/contract";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { POST as submitRoute } from "@/app/api/v1/requests/route";
import { GET as getRequestRoute } from "@/app/api/v1/requests/[id]/route";
import { POST as decideRoute } from "@/app/api/v1/requests/[id]/decisions/route";
import { POST as cancelRoute } from "@/app/api/v1/requests/[id]/cancel/route";
import { GET as grantsRoute } from "@/app/api/v1/grants/route";
import { POST as createVaultRoute } from "@/app/api/v1/vault/requests/route";
import { GET as getVaultRoute } from "@/app/api/v1/vault/requests/[id]/route";
import { GET as vaultApproversRoute } from "@/app/api/v1/vault/approvers/route";
import { GET as openApiRoute } from "@/app/api/v1/openapi.json/route";
import { decideVaultRequest } from "@/lib/vault/decide-vault-request";
import { auditMark, auditSince, lastAuditRow, makeActor, makePerson, makeSystem, uniq } from "../factories";
import { makeRequestScenario, makeRequestableRole, requestDay } from "../request-factories";
import { callApi, makeApiToken } from "../api-helpers";

const db = () => getDb();

/** A request scenario whose system has two account administrators (the owner stage: any one of them). */
async function scene(opts: { sensitive?: boolean } = {}) {
  const s = await makeRequestScenario(opts);
  const owner2 = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: s.system.id }], { orgUnitId: s.division.id });
  const token = await makeApiToken([s.system.id]);
  return { ...s, owner2, token };
}

const submitBody = (s: Awaited<ReturnType<typeof scene>>, extra: Record<string, unknown> = {}) => ({
  systemCode: s.system.code,
  roleCode: s.role.code,
  justification: "Complaints desk needs it",
  endsAt: requestDay(30),
  ...extra,
});

const decide = (s: { token: { secret: string } }, id: string, as: string, body: Record<string, unknown>) =>
  callApi(decideRoute, "POST", `/requests/${id}/decisions`, { token: s.token.secret, actingAs: as, body, params: { id } });

describe("POST /api/v1/requests → decisions → grants", () => {
  it("submits for the person acting, runs the chain through the API, and the grant shows in the grants lookup; all audited with the token", async () => {
    const s = await scene();
    const mark = await auditMark();
    const submitted = await callApi(submitRoute, "POST", "/requests", {
      token: s.token.secret,
      actingAs: s.staff.employeeNo,
      body: submitBody(s),
    });
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(201);
    const request = RequestView.parse(submitted.json);
    expect(request).toMatchObject({
      status: "PENDING",
      kind: "GRANT",
      number: expect.stringMatching(/^REQ-\d{6}$/),
      system: { code: s.system.code },
      role: { code: s.role.code },
      subject: { employeeNo: s.staff.employeeNo },
      requester: { employeeNo: s.staff.employeeNo },
    });
    expect(request.stages.map((st) => [st.kind, st.status])).toEqual([
      ["DEPARTMENT_HEAD", "ACTIVE"],
      ["SYSTEM_OWNER", "WAITING"],
    ]);
    expect(request.stages[0]!.approvers).toEqual([
      { employeeNo: s.head.employeeNo, name: s.head.person.name, source: "RESOLVED", isOpen: true },
    ]);

    // The use case's own audit row names the employee and the token; the call's row is in the same transaction.
    const rows = await auditSince(mark);
    const submittedRow = rows.find((r) => r.action === "request.submitted")!;
    expect(submittedRow).toMatchObject({
      actorId: s.staff.person.id,
      targetId: request.id,
      summary: { via: `api-token:${s.token.prefix}` },
    });
    expect(rows.at(-1)).toMatchObject({
      action: "api.called",
      actorId: s.staff.person.id,
      targetId: s.token.id,
      summary: { method: "POST", route: "/api/v1/requests", status: 201, resourceId: request.id },
    });

    const head = await decide(s, request.id, s.head.employeeNo, { outcome: "APPROVE", comment: "Fine" });
    expect(head.status, JSON.stringify(head.json)).toBe(200);
    expect(DecisionResponse.parse(head.json)).toMatchObject({
      decision: { outcome: "APPROVE", repeated: false },
      request: { status: "PENDING" },
    });
    expect(head.json.request.stages[1].approvers.map((a: { employeeNo: string }) => a.employeeNo).sort()).toEqual(
      [s.owner.employeeNo, s.owner2.employeeNo].sort(),
    );

    // Two owners decide at the same moment: one decision, the other told who decided and when.
    const [a, b] = await Promise.all([
      decide(s, request.id, s.owner.employeeNo, { outcome: "APPROVE" }),
      decide(s, request.id, s.owner2.employeeNo, { outcome: "APPROVE" }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    const winner = a.status === 200 ? s.owner : s.owner2;
    expect(won.json.request).toMatchObject({ status: "APPROVED", grantId: expect.any(String) });
    ErrorBody.parse(lost.json);
    expect(lost.json.error).toMatchObject({
      code: "REQUEST_ALREADY_DECIDED",
      details: { who: `${winner.person.name} (${winner.employeeNo})`, when: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
    });
    expect(lost.json.error.message).toContain(winner.person.name);
    expect(await db().approvalDecision.count({ where: { requestId: request.id } })).toBe(2);

    // The winner repeating gets the same result, nothing new written.
    const again = await decide(s, request.id, winner.employeeNo, { outcome: "APPROVE" });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({
      decision: { outcome: "APPROVE", repeated: true },
      request: { status: "APPROVED", grantId: won.json.request.grantId },
    });
    expect(await db().approvalDecision.count({ where: { requestId: request.id } })).toBe(2);

    const grants = await callApi(grantsRoute, "GET", `/grants?employeeNo=${s.staff.employeeNo}`, { token: s.token.secret });
    expect(GrantsPage.parse(grants.json).data).toEqual([
      expect.objectContaining({
        id: won.json.request.grantId,
        requestId: request.id,
        role: { code: s.role.code, name: s.role.name },
        person: { employeeNo: s.staff.employeeNo, name: s.staff.person.name },
      }),
    ]);

    const read = await callApi(getRequestRoute, "GET", `/requests/${request.id}`, { token: s.token.secret, params: { id: request.id } });
    expect(read.status).toBe(200);
    expect(RequestView.parse(read.json).stages.map((st) => st.decisions.map((d) => d.approver.employeeNo))).toEqual([
      [s.head.employeeNo],
      [winner.employeeNo],
    ]);
    const calls = await db().auditEvent.findMany({
      where: { action: "api.called", targetId: s.token.id },
      orderBy: { id: "asc" },
      select: { summary: true },
    });
    // Every call audited: submit, head, the two racing owners (one refused), the repeat, grants, read.
    expect(calls.map((c) => (c.summary as { status: number }).status).sort()).toEqual([200, 200, 200, 200, 200, 201, 409]);
  });

  it("returns the same request for a repeated Idempotency-Key (one row), and keys are per token", async () => {
    const s = await scene();
    const key = `oa-${uniq()}`;
    const call = () =>
      callApi(submitRoute, "POST", "/requests", {
        token: s.token.secret,
        actingAs: s.staff.employeeNo,
        body: submitBody(s),
        headers: { "idempotency-key": key },
      });
    const [first, second] = await Promise.all([call(), call()]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json.id).toBe(first.json.id);
    expect(await db().accessRequest.count({ where: { requesterId: s.staff.person.id } })).toBe(1);
    expect(await db().accessRequest.findUniqueOrThrow({ where: { id: first.json.id } })).toMatchObject({
      idempotencyKey: `api-${s.token.prefix}-${key}`,
    });
    const bad = await callApi(submitRoute, "POST", "/requests", {
      token: s.token.secret,
      actingAs: s.staff.employeeNo,
      body: submitBody(s),
      headers: { "idempotency-key": "short" },
    });
    expect([bad.status, bad.json.error.fields]).toEqual([400, { "Idempotency-Key": "Not a valid value." }]);
  });

  it("a rejection needs a comment; a request cancelled by its requester cannot be decided", async () => {
    const s = await scene();
    const r = await callApi(submitRoute, "POST", "/requests", { token: s.token.secret, actingAs: s.staff.employeeNo, body: submitBody(s) });
    const id = r.json.id as string;
    const noComment = await decide(s, id, s.head.employeeNo, { outcome: "REJECT" });
    expect([noComment.status, noComment.json.error.code, noComment.json.error.fields]).toEqual([
      400,
      "VALIDATION",
      { comment: "Required." },
    ]);
    const cancelled = await callApi(cancelRoute, "POST", `/requests/${id}/cancel`, {
      token: s.token.secret,
      actingAs: s.staff.employeeNo,
      body: { reason: "No longer needed" },
      params: { id },
    });
    expect(cancelled.status).toBe(200);
    expect(RequestView.parse(cancelled.json)).toMatchObject({ status: "CANCELLED", closingNote: "No longer needed" });
    const late = await decide(s, id, s.head.employeeNo, { outcome: "APPROVE" });
    expect([late.status, late.json.error.code]).toEqual([409, "REQUEST_CLOSED"]);
    expect(await db().approvalDecision.count({ where: { requestId: id } })).toBe(0);
  });

  it("refuses approvals by the wrong person and cancels by others, writing nothing", async () => {
    const s = await scene();
    const r = await callApi(submitRoute, "POST", "/requests", { token: s.token.secret, actingAs: s.staff.employeeNo, body: submitBody(s) });
    const id = r.json.id as string;
    const stranger = await makePerson();
    const mark = await auditMark();
    const wrong = await decide(s, id, s.owner.employeeNo, { outcome: "APPROVE" });
    expect([wrong.status, wrong.json.error.code]).toEqual([403, "NOT_AN_APPROVER"]);
    const self = await decide(s, id, s.staff.employeeNo, { outcome: "APPROVE" });
    expect([self.status, self.json.error.code]).toEqual([403, "SELF_APPROVAL"]);
    const notMine = await callApi(cancelRoute, "POST", `/requests/${id}/cancel`, {
      token: s.token.secret,
      actingAs: stranger.employeeNo,
      body: {},
      params: { id },
    });
    expect([notMine.status, notMine.json.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(notMine.json.error.message).toBe("The person acted for may not do this.");
    expect((await auditSince(mark)).map((row) => [row.action, (row.summary as { status: number }).status])).toEqual([
      ["api.called", 403],
      ["api.called", 403],
      ["api.called", 403],
    ]);
    expect(await db().approvalDecision.count({ where: { requestId: id } })).toBe(0);
  });
});

describe("bad input and abuse", () => {
  it("answers 400 VALIDATION with every field, MALFORMED_JSON, 413, and writes no request", async () => {
    const s = await scene();
    const as = { token: s.token.secret, actingAs: s.staff.employeeNo };
    const empty = await callApi(submitRoute, "POST", "/requests", { ...as, body: {} });
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.json.error.fields).sort()).toEqual(["endsAt", "justification", "roleCode", "systemCode"]);
    const typed = await callApi(submitRoute, "POST", "/requests", {
      ...as,
      body: submitBody(s, { endsAt: "31/12/2026", kind: "FOREVER", justification: "x\u0000y" }),
      language: "zh-CN",
    });
    expect(typed.status).toBe(400);
    expect(typed.json.error).toMatchObject({ code: "VALIDATION", message: "请修改标出的字段。" });
    expect(Object.keys(typed.json.error.fields).sort()).toEqual(["endsAt", "justification", "kind"]);
    const notJson = await callApi(submitRoute, "POST", "/requests", { ...as, rawBody: "{systemCode: CRM" });
    expect([notJson.status, notJson.json.error.code]).toEqual([400, "MALFORMED_JSON"]);
    const array = await callApi(submitRoute, "POST", "/requests", { ...as, rawBody: "[1,2]" });
    expect([array.status, array.json.error.code]).toEqual([400, "VALIDATION"]);
    const huge = await callApi(submitRoute, "POST", "/requests", { ...as, body: submitBody(s, { justification: "x".repeat(70_000) }) });
    expect([huge.status, huge.json.error.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    const past = await callApi(submitRoute, "POST", "/requests", { ...as, body: submitBody(s, { endsAt: "2001-01-01" }) });
    expect([past.status, past.json.error.code, Object.keys(past.json.error.fields ?? {})]).toEqual([422, "DATE_IN_PAST", ["endsAt"]]);
    const unknownRole = await callApi(submitRoute, "POST", "/requests", { ...as, body: submitBody(s, { roleCode: "NO-SUCH-ROLE" }) });
    expect([unknownRole.status, unknownRole.json.error.code, unknownRole.json.error.fields]).toEqual([
      404,
      "NOT_FOUND",
      { roleCode: "Not found." },
    ]);
    expect(await db().accessRequest.count({ where: { requesterId: s.staff.person.id } })).toBe(0);
  });

  it("answers 400 VALIDATION, never a 500, to NUL and other control characters in body fields and query parameters", async () => {
    const s = await scene();
    const as = { token: s.token.secret, actingAs: s.staff.employeeNo };
    const nul = await callApi(submitRoute, "POST", "/requests", { ...as, body: submitBody(s, { systemCode: "ab\u0000cd" }) });
    expect([nul.status, nul.json.error.code, Object.keys(nul.json.error.fields)]).toEqual([400, "VALIDATION", ["systemCode"]]);
    expect(nul.json.error.fields.systemCode).toBe("Not a valid value.");
    const escape = await callApi(submitRoute, "POST", "/requests", {
      ...as,
      body: submitBody(s, { roleCode: "R\u001b[31m", justification: "a\u0007b" }),
    });
    expect([escape.status, Object.keys(escape.json.error.fields).sort()]).toEqual([400, ["justification", "roleCode"]]);
    for (const query of ["systemCode=%00", "systemCode=CRM%01", "employeeNo=%00", "cursor=%00"]) {
      const grants = await callApi(grantsRoute, "GET", `/grants?${query}`, { token: s.token.secret });
      expect([grants.status, grants.json.error.code], query).toEqual([400, "VALIDATION"]);
      expect(Object.keys(grants.json.error.fields), query).toEqual([query.split("=")[0]]);
    }
    expect(await db().accessRequest.count({ where: { requesterId: s.staff.person.id } })).toBe(0);
  });

  it("requires a known, active person in X-Acting-As, a token for this system and for writing", async () => {
    const s = await scene();
    const missing = await callApi(submitRoute, "POST", "/requests", { token: s.token.secret, body: submitBody(s) });
    expect([missing.status, missing.json.error.fields]).toEqual([400, { "X-Acting-As": "Required." }]);
    const unknown = await callApi(submitRoute, "POST", "/requests", { token: s.token.secret, actingAs: "NOBODY-1", body: submitBody(s) });
    expect([unknown.status, unknown.json.error.code]).toEqual([403, "ACTING_PERSON_INVALID"]);
    const leaver = await makePerson();
    await db().person.update({ where: { id: leaver.person.id }, data: { status: "LEFT" } });
    const left = await callApi(submitRoute, "POST", "/requests", {
      token: s.token.secret,
      actingAs: leaver.employeeNo,
      body: submitBody(s),
    });
    expect([left.status, left.json.error.code]).toEqual([403, "ACTING_PERSON_INVALID"]);

    const otherSystemToken = await makeApiToken([(await makeSystem()).id]);
    const outside = await callApi(submitRoute, "POST", "/requests", {
      token: otherSystemToken.secret,
      actingAs: s.staff.employeeNo,
      body: submitBody(s),
    });
    expect([outside.status, outside.json.error.code]).toEqual([403, "TOKEN_SCOPE"]);
    const readOnly = await makeApiToken([s.system.id], ["requests:read", "grants:read"]);
    const noWrite = await callApi(submitRoute, "POST", "/requests", {
      token: readOnly.secret,
      actingAs: s.staff.employeeNo,
      body: submitBody(s),
    });
    expect([noWrite.status, noWrite.json.error.code, noWrite.json.error.details]).toEqual([
      403,
      "TOKEN_SCOPE",
      { operation: "requests:write" },
    ]);
    expect(await db().accessRequest.count({ where: { requesterId: s.staff.person.id } })).toBe(0);

    // Reading another system's request is out of scope too; an unknown id is 404, a malformed one 400.
    const r = await callApi(submitRoute, "POST", "/requests", { token: s.token.secret, actingAs: s.staff.employeeNo, body: submitBody(s) });
    const foreign = await callApi(getRequestRoute, "GET", `/requests/${r.json.id}`, {
      token: otherSystemToken.secret,
      params: { id: r.json.id },
    });
    expect([foreign.status, foreign.json.error.code]).toEqual([403, "TOKEN_SCOPE"]);
    const none = await callApi(getRequestRoute, "GET", "/requests/00000000-0000-4000-8000-000000000000", {
      token: s.token.secret,
      params: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect([none.status, none.json.error.code]).toEqual([404, "NOT_FOUND"]);
    const garbage = await callApi(getRequestRoute, "GET", "/requests/1%20OR%201=1", { token: s.token.secret, params: { id: "1 OR 1=1" } });
    expect([garbage.status, garbage.json.error.fields]).toEqual([400, { id: "Not a valid value." }]);
  });

  it("lists every policy violation with its code and text (R4: a third party asking for a sensitive role)", async () => {
    const s = await scene();
    const sensitive = await makeRequestableRole(s.system.id, { sensitive: true });
    const contractor = await makePerson({ employmentType: "THIRD_PARTY", orgUnitId: s.department.id });
    const refused = await callApi(submitRoute, "POST", "/requests", {
      token: s.token.secret,
      actingAs: s.head.employeeNo,
      body: submitBody(s, { roleCode: sensitive.code, subjectEmployeeNo: contractor.employeeNo, endsAt: requestDay(10) }),
    });
    expect(refused.status, JSON.stringify(refused.json)).toBe(422);
    expect(refused.json.error.code).toBe("POLICY_VIOLATION");
    expect(refused.json.error.violations.length).toBeGreaterThan(0);
    for (const v of refused.json.error.violations) {
      expect(v.code).toEqual(expect.any(String));
      expect(v.message).not.toBe(v.code);
    }
    expect(await db().accessRequest.count({ where: { subjectId: contractor.person.id } })).toBe(0);
  });
});

describe("vault mode through the API", () => {
  it("lists online approvers, creates the prompt for the operator acting, and long-polls until the approver decides", async () => {
    const s = await scene();
    const approver = await makeActor([], { name: `Vault approver ${uniq()}` });
    await db().portalSession.create({ data: { accountId: approver.account.id, lastSeenAt: new Date() } });
    const code = `${s.system.code}:bulk-export-${uniq()}`;
    await db().vaultScenario.create({
      data: { code, name: "Bulk export", systemId: s.system.id, approverIds: [approver.person.id], validForSeconds: 300 },
    });
    const as = { token: s.token.secret, actingAs: s.staff.employeeNo };

    const listed = await callApi(vaultApproversRoute, "GET", `/vault/approvers?scenario=${encodeURIComponent(code)}`, as);
    expect(listed.status, JSON.stringify(listed.json)).toBe(200);
    expect(VaultApprovers.parse(listed.json).data.map((a) => a.employeeNo)).toEqual([approver.employeeNo]);

    const body = {
      scenarioCode: code,
      approverEmployeeNo: approver.employeeNo,
      operation: "export:customers",
      targetType: "customer-segment",
      targetId: "SEG-42",
      reason: "Quarterly churn analysis",
    };
    const created = await callApi(createVaultRoute, "POST", "/vault/requests", { ...as, body });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const vault = VaultRequestView.parse(created.json);
    expect(vault).toMatchObject({
      status: "PENDING",
      operator: { employeeNo: s.staff.employeeNo },
      approver: { employeeNo: approver.employeeNo },
      validUntil: null,
    });
    expect(await db().vaultRequest.findUniqueOrThrow({ where: { id: vault.id } })).toMatchObject({
      apiTokenId: s.token.id,
      operatorId: s.staff.person.id,
    });
    expect(await lastAuditRow({ action: "vault.requested", targetId: vault.id })).toMatchObject({
      actorId: s.staff.person.id,
      summary: { via: `api-token:${s.token.prefix}` },
    });

    const started = Date.now();
    const waiting = callApi(getVaultRoute, "GET", `/vault/requests/${vault.id}?wait=10`, {
      token: s.token.secret,
      params: { id: vault.id },
    });
    await new Promise((r) => setTimeout(r, 500));
    await inTransaction((tx) => decideVaultRequest(tx, approver.actor, { vaultRequestId: vault.id, outcome: "APPROVE" }));
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(VaultRequestView.parse(answered.json)).toMatchObject({ status: "APPROVED", validUntil: expect.any(String) });
    expect(Date.now() - started).toBeLessThan(8_000);

    const now = await callApi(getVaultRoute, "GET", `/vault/requests/${vault.id}`, { token: s.token.secret, params: { id: vault.id } });
    expect(now.json.status).toBe("APPROVED");
  });

  it("refuses scenarios outside the token's systems, portal scenarios, bad waits, and approvers who are not eligible", async () => {
    const s = await scene();
    const other = await makeSystem();
    const foreignCode = `${other.code}:export-${uniq()}`;
    await db().vaultScenario.create({
      data: { code: foreignCode, name: "Other system's", systemId: other.id, approverRoles: ["SECURITY_OFFICER"] },
    });
    const portalCode = `portal.test-${uniq()}`;
    await db().vaultScenario.create({ data: { code: portalCode, name: "Portal", approverRoles: ["SECURITY_OFFICER"] } });
    const mine = `${s.system.code}:export-${uniq()}`;
    await db().vaultScenario.create({ data: { code: mine, name: "Mine", systemId: s.system.id, approverRoles: ["SECURITY_OFFICER"] } });
    const as = { token: s.token.secret, actingAs: s.staff.employeeNo };
    const body = (scenarioCode: string, approverEmployeeNo: string) => ({
      scenarioCode,
      approverEmployeeNo,
      operation: "export:all",
      targetType: "table",
      targetId: "customers",
      reason: "Needed now",
    });
    for (const code of [foreignCode, portalCode]) {
      const r = await callApi(createVaultRoute, "POST", "/vault/requests", { ...as, body: body(code, s.officer.employeeNo) });
      expect([r.status, r.json.error.code], code).toEqual([403, "TOKEN_SCOPE"]);
      const list = await callApi(vaultApproversRoute, "GET", `/vault/approvers?scenario=${encodeURIComponent(code)}`, as);
      expect(list.status).toBe(403);
    }
    const notEligible = await callApi(createVaultRoute, "POST", "/vault/requests", { ...as, body: body(mine, s.head.employeeNo) });
    expect([notEligible.status, notEligible.json.error.code, Object.keys(notEligible.json.error.fields)]).toEqual([
      422,
      "VAULT_APPROVER_NOT_ELIGIBLE",
      ["approverEmployeeNo"],
    ]);
    const unknown = await callApi(createVaultRoute, "POST", "/vault/requests", {
      ...as,
      body: body(`${s.system.code}:nothing`, s.officer.employeeNo),
    });
    expect([unknown.status, unknown.json.error.fields]).toEqual([404, { scenarioCode: "Not found." }]);
    const badWait = await callApi(getVaultRoute, "GET", `/vault/requests/00000000-0000-4000-8000-000000000000?wait=600`, {
      token: s.token.secret,
      params: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect([badWait.status, badWait.json.error.fields]).toEqual([400, { wait: "Not a valid value." }]);
    expect(await db().vaultRequest.count({ where: { operatorId: s.staff.person.id } })).toBe(0);
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("serves the generated OpenAPI 3.1 document without a token", async () => {
    const response = openApiRoute();
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/grants",
      "/openapi.json",
      "/people/{employeeNo}/access",
      "/requests",
      "/requests/{id}",
      "/requests/{id}/cancel",
      "/requests/{id}/decisions",
      "/reviews/campaigns",
      "/reviews/campaigns/{id}/items",
      "/reviews/items/{id}/decisions",
      "/vault/approvers",
      "/vault/requests",
      "/vault/requests/{id}",
    ]);
  });
});
