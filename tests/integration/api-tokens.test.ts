import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { createApiToken } from "@/lib/api-tokens/create-api-token";
import { revokeApiToken } from "@/lib/api-tokens/revoke-api-token";
import { listApiTokens } from "@/lib/api-tokens/queries";
import { GrantsPage, PersonAccess } from "@/lib/api/schemas";
import { GET as getGrants } from "@/app/api/v1/grants/route";
import { GET as getPersonAccess } from "@/app/api/v1/people/[employeeNo]/access/route";
import {
  auditMark,
  auditSince,
  auditText,
  expectDomainError,
  expectZodError,
  lastAuditRow,
  makeActor,
  makePerson,
  makeSystem,
} from "../factories";
import { callApi, grantTo, makeApiToken, systemWithRole, tokenAdmin, tokenRow } from "../api-helpers";
import { callsPerMinute, takeCall } from "@/lib/api/rate-limit";

const tokenCount = () => getDb().apiToken.count();

describe("API tokens", () => {
  it("are shown once, stored only as a SHA-256 hash, and their creation is audited without the secret", async () => {
    const { actor, person } = await tokenAdmin();
    const system = await makeSystem();
    const mark = await auditMark();
    const created = await inTransaction((tx) =>
      createApiToken(tx, actor, {
        name: "OA system",
        systemIds: [system.id, system.id],
        operations: ["grants:read", "grants:read"],
        validDays: 90,
      }),
    );
    expect(created.secret).toMatch(/^4a_[0-9a-f]{10}_[A-Za-z0-9_-]{43}$/);
    expect(created.secret.startsWith(`4a_${created.prefix}_`)).toBe(true);
    const row = await tokenRow(created.id);
    expect(row.tokenHash).toBe(createHash("sha256").update(created.secret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(14));
    expect(row).toMatchObject({
      name: "OA system",
      systemIds: [system.id],
      operations: ["grants:read"],
      createdById: person.id,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(90 * 86_400_000);

    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["api-token.created"]);
    expect(rows[0]).toMatchObject({
      actorId: person.id,
      targetType: "api-token",
      targetId: created.id,
      summary: { after: { name: "OA system", prefix: created.prefix, systems: [system.code], operations: ["grants:read"] } },
    });
    expect(auditText(rows[0])).not.toContain(created.secret.slice(14));

    // The list never has the secret or the hash.
    const listed = (await listApiTokens(actor)).rows.find((r) => r.id === created.id)!;
    expect(listed).toMatchObject({ prefix: created.prefix, systems: [system.code], status: "active", lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(row.tokenHash);
  });

  it("refuse bad input with field errors and write nothing", async () => {
    const { actor } = await tokenAdmin();
    const system = await makeSystem();
    const before = await tokenCount();
    const mark = await auditMark();
    const fields = async (raw: Parameters<typeof createApiToken>[2]) =>
      (await expectZodError(inTransaction((tx) => createApiToken(tx, actor, raw)))).map((i) => `${i.path.join(".")}:${i.message}`);
    expect(await fields({ name: " ", systemIds: [], operations: [], validDays: 0 })).toEqual(
      expect.arrayContaining(["name:required", "systemIds:required", "operations:required", "validDays:invalid"]),
    );
    expect(await fields({ name: "x", systemIds: [system.id], operations: ["grants:write" as never], validDays: 30 })).toEqual([
      "operations.0:invalid",
    ]);
    expect(await fields({ name: "x", systemIds: [system.id], operations: ["grants:read"], validDays: 367 })).toEqual([
      "validDays:api-token-days",
    ]);
    expect(await fields({ name: "x", systemIds: ["not-a-uuid"], operations: ["grants:read"], validDays: "abc" })).toEqual(
      expect.arrayContaining(["systemIds.0:invalid", "validDays:invalid"]),
    );
    await expectDomainError(
      inTransaction((tx) =>
        createApiToken(tx, actor, {
          name: "x",
          systemIds: ["00000000-0000-4000-8000-000000000000"],
          operations: ["grants:read"],
          validDays: 30,
        }),
      ),
      "NOT_FOUND",
    );
    expect(await tokenCount()).toBe(before);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("are managed by system administrators only", async () => {
    const system = await makeSystem();
    const accountAdmin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    for (const { actor } of [accountAdmin, officer]) {
      await expectDomainError(
        inTransaction((tx) =>
          createApiToken(tx, actor, { name: "mine", systemIds: [system.id], operations: ["grants:read"], validDays: 30 }),
        ),
        "FORBIDDEN",
      );
      await expectDomainError(listApiTokens(actor), "FORBIDDEN");
    }
    const token = await makeApiToken([system.id]);
    await expectDomainError(
      inTransaction((tx) => revokeApiToken(tx, accountAdmin.actor, { tokenId: token.id, reason: "not mine to revoke" })),
      "FORBIDDEN",
    );
    expect((await tokenRow(token.id)).revokedAt).toBeNull();
  });

  it("are revoked once (compare-and-set), audited with the reason", async () => {
    const { actor, person } = await tokenAdmin();
    const token = await makeApiToken([(await makeSystem()).id]);
    const results = await Promise.allSettled([
      inTransaction((tx) => revokeApiToken(tx, actor, { tokenId: token.id, reason: "Integration retired" })),
      inTransaction((tx) => revokeApiToken(tx, actor, { tokenId: token.id, reason: "Integration retired" })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failure.reason).toMatchObject({ code: "TOKEN_REVOKED" });
    expect(await tokenRow(token.id)).toMatchObject({ revokedById: person.id });
    expect(await lastAuditRow({ action: "api-token.revoked", targetId: token.id })).toMatchObject({
      actorId: person.id,
      reason: "Integration retired",
    });
    expect(await getDb().auditEvent.count({ where: { action: "api-token.revoked", targetId: token.id } })).toBe(1);
  });
});

describe("API authentication", () => {
  it("answers 401 UNAUTHENTICATED for a missing or malformed header, TOKEN_INVALID for an unknown token, writing nothing", async () => {
    const mark = await auditMark();
    const missing = await callApi(getGrants, "GET", "/grants");
    expect(missing.status).toBe(401);
    expect(missing.json.error).toMatchObject({ code: "UNAUTHENTICATED", message: expect.stringContaining("Bearer") });
    expect(missing.json.error.requestId).toBeTruthy();
    for (const authorization of ["Basic abc", "Bearer", "Bearer 4a_short", "Bearer 4a_0123456789_!!!!", "bearer " + "x".repeat(300)]) {
      const r = await callApi(getGrants, "GET", "/grants", { headers: { authorization } });
      expect(r.status, authorization).toBe(401);
      expect(r.json.error.code).toBe("UNAUTHENTICATED");
    }
    const unknown = await callApi(getGrants, "GET", "/grants", { token: `4a_0123456789_${"A".repeat(43)}` });
    expect(unknown.status).toBe(401);
    expect(unknown.json.error.code).toBe("TOKEN_INVALID");
    const chinese = await callApi(getGrants, "GET", "/grants", { token: `4a_0123456789_${"A".repeat(43)}`, language: "zh-CN,zh;q=0.9" });
    expect(chinese.json.error.message).toBe("无法识别此 API 令牌。");
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses expired and revoked tokens with their own codes, auditing the attempt under the token", async () => {
    const system = await makeSystem();
    const expired = await makeApiToken([system.id], ["grants:read"]);
    await getDb().apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const revoked = await makeApiToken([system.id], ["grants:read"]);
    const { actor } = await tokenAdmin();
    await inTransaction((tx) => revokeApiToken(tx, actor, { tokenId: revoked.id, reason: "Leaked in a ticket" }));

    const mark = await auditMark();
    const r1 = await callApi(getGrants, "GET", "/grants", { token: expired.secret });
    expect([r1.status, r1.json.error.code, r1.json.error.message]).toEqual([401, "TOKEN_EXPIRED", "This API token has expired."]);
    const r2 = await callApi(getGrants, "GET", "/grants", { token: revoked.secret, language: "zh-CN" });
    expect([r2.status, r2.json.error.code, r2.json.error.message]).toEqual([401, "TOKEN_REVOKED", "此 API 令牌已被吊销。"]);
    const rows = await auditSince(mark);
    expect(
      rows.map((r) => [r.action, r.targetId, (r.summary as { status: number; code: string }).status, (r.summary as { code: string }).code]),
    ).toEqual([
      ["api.called", expired.id, 401, "TOKEN_EXPIRED"],
      ["api.called", revoked.id, 401, "TOKEN_REVOKED"],
    ]);
    expect(rows[0]!.actorName).toBe(`api-token:${expired.prefix} (${expired.name})`);
    expect(rows[0]!.summary).toMatchObject({ method: "GET", route: "/api/v1/grants", via: `api-token:${expired.prefix}` });
  });

  it("refuses an operation or a system the token does not cover (403 TOKEN_SCOPE), audited", async () => {
    const mine = await makeSystem();
    const other = await makeSystem();
    const vaultOnly = await makeApiToken([mine.id], ["vault:write"]);
    const r1 = await callApi(getGrants, "GET", "/grants", { token: vaultOnly.secret });
    expect([r1.status, r1.json.error.code]).toEqual([403, "TOKEN_SCOPE"]);
    expect(r1.json.error.details).toEqual({ operation: "grants:read" });

    const reader = await makeApiToken([mine.id], ["grants:read"]);
    const mark = await auditMark();
    const r2 = await callApi(getGrants, "GET", `/grants?systemCode=${other.code}`, { token: reader.secret });
    expect([r2.status, r2.json.error.code]).toEqual([403, "TOKEN_SCOPE"]);
    const r3 = await callApi(getGrants, "GET", `/grants?systemCode=NO-SUCH-SYSTEM`, { token: reader.secret });
    expect([r3.status, r3.json.error.code, r3.json.error.fields]).toEqual([404, "NOT_FOUND", { systemCode: "Not found." }]);
    const rows = await auditSince(mark);
    expect(rows.map((r) => (r.summary as { status: number }).status)).toEqual([403, 404]);
  });
});

describe("the per-token call budget (one for every app process)", () => {
  it("allows the limit per minute window, counted on the token's row, then refuses until the next window", async () => {
    const system = await makeSystem();
    const a = await makeApiToken([system.id], ["grants:read"]);
    const b = await makeApiToken([system.id], ["grants:read"]);
    const t0 = Date.now() - (Date.now() % 60_000);
    const calls = [];
    for (let i = 0; i < 3; i++) calls.push(await takeCall(a.id, t0 + 10, 2));
    expect(calls).toEqual([true, true, false]);
    expect(await takeCall(b.id, t0 + 20, 2)).toBe(true);
    // A process whose clock is a little behind counts in the same window, never restarts an older one.
    await takeCall(a.id, t0 + 60_000, 2);
    expect(await takeCall(a.id, t0 + 59_990, 2)).toBe(true);
    expect(await takeCall(a.id, t0 + 60_010, 2)).toBe(false);
    expect(await tokenRow(a.id)).toMatchObject({ rateWindowStart: new Date(t0 + 60_000), rateWindowCalls: 3 });
    expect(await takeCall("00000000-0000-7000-8000-000000000000", t0, 2)).toBe(false);
  });

  it("is exact when calls race (one budget, however many processes or connections count)", async () => {
    const system = await makeSystem();
    const token = await makeApiToken([system.id], ["grants:read"]);
    const now = Date.now();
    const results = await Promise.all(Array.from({ length: 30 }, () => takeCall(token.id, now, 10)));
    expect(results.filter(Boolean)).toHaveLength(10);
  });

  it("answers 429 RATE_LIMITED with Retry-After once the budget is used, audited, changing nothing else", async () => {
    const system = await makeSystem();
    const token = await makeApiToken([system.id], ["grants:read"]);
    const now = Date.now();
    await getDb().apiToken.update({
      where: { id: token.id },
      data: { rateWindowStart: new Date(now - (now % 60_000)), rateWindowCalls: callsPerMinute() },
    });
    const mark = await auditMark();
    const r = await callApi(getGrants, "GET", "/grants", { token: token.secret });
    expect([r.status, r.json.error.code]).toEqual([429, "RATE_LIMITED"]);
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(r.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await auditSince(mark)).map((row) => [row.action, row.targetId, (row.summary as { status: number }).status])).toEqual([
      ["api.called", token.id, 429],
    ]);
  });
});

describe("GET /api/v1/grants", () => {
  it("lists live grants in the token's systems a page at a time; every call is audited and marks the token used", async () => {
    const a = await systemWithRole();
    const b = await systemWithRole();
    const people = [await makePerson(), await makePerson(), await makePerson()];
    const grants = [];
    for (const p of people) grants.push(await grantTo(a.accountAdmin.actor, p.person.id, a.role.id));
    const outside = await grantTo(b.accountAdmin.actor, people[0]!.person.id, b.role.id);
    const ended = await grantTo(a.accountAdmin.actor, (await makePerson()).person.id, a.role.id);
    await getDb().accessGrant.update({ where: { id: ended.id }, data: { revokedAt: new Date() } });

    const token = await makeApiToken([a.system.id], ["grants:read"]);
    const mark = await auditMark();
    const first = await callApi(getGrants, "GET", "/grants?limit=2", { token: token.secret });
    expect(first.status).toBe(200);
    GrantsPage.parse(first.json);
    expect(first.json.data.map((g: { id: string }) => g.id)).toEqual([grants[0]!.id, grants[1]!.id]);
    expect(first.json.data[0]).toMatchObject({
      person: { employeeNo: people[0]!.employeeNo },
      system: { code: a.system.code },
      role: { code: a.role.code },
      endsAt: null,
      requestId: null,
    });
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await callApi(getGrants, "GET", `/grants?limit=2&cursor=${first.json.nextCursor}`, { token: token.secret });
    expect(second.json.data.map((g: { id: string }) => g.id)).toEqual([grants[2]!.id]);
    expect(second.json.nextCursor).toBeNull();
    const ids = [...first.json.data, ...second.json.data].map((g: { id: string }) => g.id);
    expect(ids).not.toContain(outside.id);
    expect(ids).not.toContain(ended.id);

    const byPerson = await callApi(getGrants, "GET", `/grants?employeeNo=${people[1]!.employeeNo}&systemCode=${a.system.code}`, {
      token: token.secret,
    });
    expect(byPerson.json.data.map((g: { id: string }) => g.id)).toEqual([grants[1]!.id]);

    const rows = await auditSince(mark);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      action: "api.called",
      actorId: null,
      actorName: `api-token:${token.prefix} (${token.name})`,
      targetType: "api-token",
      targetId: token.id,
      userAgent: "vitest-api",
      summary: { method: "GET", route: "/api/v1/grants", status: 200, via: `api-token:${token.prefix}` },
    });
    expect((await tokenRow(token.id)).lastUsedAt).not.toBeNull();
  });

  it("answers 400 with the fields for a bad cursor, limit or employee number", async () => {
    const token = await makeApiToken([(await makeSystem()).id], ["grants:read"]);
    const r = await callApi(getGrants, "GET", "/grants?cursor=garbage&limit=0&employeeNo=<script>", { token: token.secret });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({
      code: "VALIDATION",
      message: "Please correct the highlighted fields.",
      fields: { cursor: "Not a valid value.", limit: "Not a valid value.", employeeNo: "2–32 letters, digits, - or _." },
    });
    const zh = await callApi(getGrants, "GET", "/grants?limit=abc", { token: token.secret, language: "zh-CN" });
    expect(zh.json.error.fields.limit).toBeTruthy();
    expect(zh.json.error.message).not.toBe("Please correct the highlighted fields.");
  });
});

describe("GET /api/v1/people/{employeeNo}/access", () => {
  it("shows one person's live grants in the token's systems only", async () => {
    const a = await systemWithRole();
    const b = await systemWithRole();
    const p = await makePerson();
    const inScope = await grantTo(a.accountAdmin.actor, p.person.id, a.role.id);
    await grantTo(b.accountAdmin.actor, p.person.id, b.role.id);
    const token = await makeApiToken([a.system.id], ["grants:read"]);
    const r = await callApi(getPersonAccess, "GET", `/people/${p.employeeNo}/access`, {
      token: token.secret,
      params: { employeeNo: p.employeeNo },
    });
    expect(r.status).toBe(200);
    PersonAccess.parse(r.json);
    expect(r.json).toMatchObject({ person: { employeeNo: p.employeeNo, status: "ACTIVE" } });
    expect(r.json.grants.map((g: { id: string }) => g.id)).toEqual([inScope.id]);
    const missing = await callApi(getPersonAccess, "GET", `/people/NOBODY-9/access`, {
      token: token.secret,
      params: { employeeNo: "NOBODY-9" },
    });
    expect([missing.status, missing.json.error.code]).toEqual([404, "NOT_FOUND"]);
    expect(await lastAuditRow({ action: "api.called", targetId: token.id })).toMatchObject({ summary: { status: 404, code: "NOT_FOUND" } });
  });

  it("answers 404, the same as an unknown number, for someone with no account in the token's systems (no name, no status)", async () => {
    const crm = await systemWithRole();
    const other = await systemWithRole();
    const outsider = await makePerson();
    await grantTo(other.accountAdmin.actor, outsider.person.id, other.role.id);
    const nobody = await makePerson();
    const token = await makeApiToken([crm.system.id], ["grants:read"]);
    const unknown = await callApi(getPersonAccess, "GET", `/people/NOBODY-8/access`, {
      token: token.secret,
      params: { employeeNo: "NOBODY-8" },
    });
    for (const p of [outsider, nobody]) {
      const r = await callApi(getPersonAccess, "GET", `/people/${p.employeeNo}/access`, {
        token: token.secret,
        params: { employeeNo: p.employeeNo },
      });
      expect([r.status, r.json.error?.code]).toEqual([404, "NOT_FOUND"]);
      const { requestId: _a, ...same } = r.json.error;
      const { requestId: _b, ...unknownError } = unknown.json.error;
      expect(same).toEqual(unknownError);
      expect(JSON.stringify(r.json)).not.toContain(p.person.name);
    }
    // Once they have an account there (even without a live grant), the system knows them.
    await grantTo(crm.accountAdmin.actor, outsider.person.id, crm.role.id);
    const known = await callApi(getPersonAccess, "GET", `/people/${outsider.employeeNo}/access`, {
      token: token.secret,
      params: { employeeNo: outsider.employeeNo },
    });
    expect(known.status).toBe(200);
    expect(known.json.person).toMatchObject({ employeeNo: outsider.employeeNo, name: outsider.person.name });
  });
});
