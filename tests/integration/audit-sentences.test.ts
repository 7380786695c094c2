// Issue 9 §5 on real PostgreSQL: the trail's sentences name the people, systems and roles an event's
// ids point at (lib/audit/names.ts, one query), in the reader's language.
import { describe, expect, it } from "vitest";
import { inTransaction } from "@/lib/db";
import { messagesFor } from "@/i18n/messages";
import { createGrantUnderPolicy } from "@/lib/grants/create-grant";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import { auditNames } from "@/lib/audit/names";
import { auditSentencer } from "@/lib/audit/sentence";
import { auditMark, auditSince, FACTORY, makePerson, makeSystemWithRole } from "../factories";

describe("audit sentences name what the event's ids point at", () => {
  it("a grant and a locked account, in English and in Chinese", async () => {
    const { system, role } = await makeSystemWithRole();
    const person = await makePerson({ name: `李四 ${Date.now() % 1000}` });
    const mark = await auditMark();
    await inTransaction(async (tx) => {
      await createGrantUnderPolicy(tx, FACTORY, { personId: person.person.id, roleId: role.id, reason: "Approved" });
      await setAccountStatus(tx, FACTORY, { accountId: person.account.id, change: "lock", reason: "Test: suspicious sign-ins" });
    });
    const rows = await auditSince(mark);
    const granted = rows.find((r) => r.action === "grant.created")!;
    const locked = rows.find((r) => r.action === "account.locked")!;
    const who = `${person.person.name} (${person.employeeNo})`;

    const zhNames = await auditNames(rows, "zh-CN");
    expect(zhNames.get(person.person.id)).toBe(who);
    expect(zhNames.get(person.account.id)).toBe(who); // a master account reads as its owner
    expect(zhNames.get(system.id)).toBe(system.name);
    expect(zhNames.get(role.id)).toBe(role.name);

    const zh = auditSentencer("zh-CN", messagesFor("zh-CN"));
    const en = auditSentencer("en", messagesFor("en"));
    expect(zh(granted, zhNames)).toBe(`${granted.actorName} 向 ${who} 授予 ${system.name} 的 ${role.name} 角色`);
    const enNames = await auditNames(rows, "en");
    expect(en(granted, enNames)).toBe(
      `${granted.actorName} granted ${role.nameEn ?? role.name} in ${system.nameEn ?? system.name} to ${who}`,
    );
    expect(en(locked, enNames)).toBe(`${locked.actorName} locked the portal account of ${who}`);
    expect(zh(locked, zhNames)).toBe(`${locked.actorName} 锁定了 ${who} 的门户帐号`);
  });

  it("ids that are not uuids or match nothing stay unnamed, without failing the page", async () => {
    const names = await auditNames(
      [
        { targetId: "not-a-uuid", summary: { personId: "'; DROP TABLE person; --" } },
        { targetId: "0190a000-0000-7000-8000-00000000dead", summary: null },
      ],
      "en",
    );
    expect(names.size).toBe(0);
  });
});
