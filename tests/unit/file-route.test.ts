// lib/http/download.ts: the shared start of the export and template routes answers refusals as
// translated JSON with the code's status, and otherwise hands over the actor.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createTranslator } from "next-intl";
import { z } from "zod";
import type { PersonActor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { messagesFor } from "@/i18n/messages";

const session = vi.hoisted(() => ({ actor: null as PersonActor | null }));
vi.mock("@/lib/auth/get-actor", () => ({ getActor: async () => session.actor }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace: string) =>
    createTranslator({ locale: "en", messages: messagesFor("en") as Parameters<typeof createTranslator>[0]["messages"], namespace }),
}));

const { fileRoute, queryOf } = await import("@/lib/http/download");

function person(roles: PersonActor["roles"]): PersonActor {
  return {
    kind: "person",
    personId: "p",
    accountId: "a",
    name: "Test",
    employeeNo: "E1",
    orgUnitId: "o",
    sessionId: "s",
    roles,
    ctx: { requestId: "r", ip: null, userAgent: null },
  };
}
const admin = (systemId: string) => person([{ role: "ACCOUNT_ADMIN", systemId, orgUnitId: null, orgUnitPath: null }]);
const ok = () => new Response("file");
const answer = async (response: Response) => ({
  status: response.status,
  body: response.status === 200 ? await response.text() : await response.json(),
});

describe("fileRoute", () => {
  beforeEach(() => {
    session.actor = null;
  });

  it("answers 401 without a signed-in person and 403 without the permission on the resource", async () => {
    expect(await answer(await fileRoute("grants:manage", { systemId: "s1" }, ok))).toEqual({
      status: 401,
      body: { code: "UNAUTHENTICATED", message: "Please sign in." },
    });
    session.actor = admin("s2");
    expect(await answer(await fileRoute("grants:manage", { systemId: "s1" }, ok))).toEqual({
      status: 403,
      body: { code: "FORBIDDEN", message: "You are not allowed to do this." },
    });
  });

  it("hands the actor to the response, and answers a DomainError it throws with the code's status", async () => {
    session.actor = admin("s1");
    expect(await answer(await fileRoute("grants:manage", { systemId: "s1" }, (actor) => new Response(actor.employeeNo)))).toEqual({
      status: 200,
      body: "E1",
    });
    const refused = await fileRoute("grants:manage", { systemId: "s1" }, () => {
      throw new DomainError("NOT_FOUND");
    });
    expect(await answer(refused)).toEqual({ status: 404, body: { code: "NOT_FOUND", message: "Not found." } });
    await expect(fileRoute("grants:manage", { systemId: "s1" }, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });

  it("answers a query that does not fit the schema with 400 VALIDATION", async () => {
    session.actor = admin("s1");
    const Query = z.object({ format: z.enum(["csv", "xlsx"]).default("csv") });
    const route = (url: string) =>
      fileRoute("grants:manage", { systemId: "s1" }, () => new Response(queryOf(new Request(url), Query).format));
    expect(await answer(await route("http://x/export?format=xlsx&other=1"))).toEqual({ status: 200, body: "xlsx" });
    expect(await answer(await route("http://x/export"))).toEqual({ status: 200, body: "csv" });
    expect(await answer(await route("http://x/export?format=pdf"))).toEqual({
      status: 400,
      body: { code: "VALIDATION", message: "Please correct the highlighted fields." },
    });
  });
});
