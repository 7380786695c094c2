import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { messagesFor } from "@/i18n/messages";
import { AUDIT_ACTIONS } from "@/lib/audit/events";
import { auditSentencer, type SentenceEvent } from "@/lib/audit/sentence";

// Issue 9 §5: every audit event reads as a sentence in both languages. The first test scans the
// source for the action codes it writes (action: "x.y", ternaries and transition tables included),
// so an action recorded without a sentence fails here, not in front of an auditor.

const ROOTS = ["lib", "app", "scripts"];
const SKIP = /(^|\/)(generated|node_modules)(\/|$)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (SKIP.test(path)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every audit action code written in the source: `action: "…"` and the codes of `action: a ? "…" : "…"`. */
function recordedActions(): Set<string> {
  const found = new Set<string>();
  const known = new Set<string>(AUDIT_ACTIONS);
  for (const file of ROOTS.flatMap(sourceFiles)) {
    if (file.endsWith("lib/audit/events.ts")) continue;
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\baction:\s*([^,\n}]*(?:\?[^,\n}]*)?)/g))
      for (const code of m[1]!.matchAll(/"([a-z][a-z-]*(?:\.[a-z][a-z-]*)+)"/g)) found.add(code[1]!);
    // Codes passed to a helper that records them (auditRequest(tx, actor, request, "request.approved"), end-grants' action).
    for (const code of text.matchAll(/"([a-z][a-z-]*(?:\.[a-z][a-z-]*)+)"/g)) if (known.has(code[1]!)) found.add(code[1]!);
  }
  return found;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const lookup = (messages: any, path: string[]): unknown => path.reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), messages);

const LOCALES = ["en", "zh-CN"] as const;

describe("audit sentences (issue 9 §5)", () => {
  const recorded = recordedActions();

  it("finds the actions the code records", () => {
    expect(recorded.size).toBeGreaterThan(100);
    expect(recorded).toContain("grant.revoked");
    expect(recorded).toContain("request.approved");
    expect(recorded).toContain("account.locked");
  });

  it("has a sentence in en and zh-CN for every action recorded in the source and every catalogued action", () => {
    const missing: string[] = [];
    for (const locale of LOCALES) {
      const messages = messagesFor(locale);
      for (const action of new Set([...recorded, ...AUDIT_ACTIONS]))
        if (typeof lookup(messages, ["audit", "sentences", ...action.split(".")]) !== "string") missing.push(`${locale}: ${action}`);
    }
    expect(missing).toEqual([]);
    // Recording an action outside the catalogue would also have no filter entry and no label.
    expect([...recorded].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
  });

  const LI = "0190a000-0000-7000-8000-000000000001";
  const SYS = "0190a000-0000-7000-8000-000000000002";
  const ROLE = "0190a000-0000-7000-8000-000000000003";
  const names = new Map([
    [LI, "李四 (E0102)"],
    [SYS, "BOSS 计费系统"],
    [ROLE, "营业员"],
  ]);
  const event = (action: string, summary: unknown, more: Partial<SentenceEvent> = {}): SentenceEvent => ({
    action,
    actorName: "张三 (E0001)",
    targetType: null,
    targetId: null,
    summary,
    reason: null,
    ...more,
  });
  const en = auditSentencer("en", messagesFor("en"));
  const zh = auditSentencer("zh-CN", messagesFor("zh-CN"));

  it("fills the sentence from the actor, the target and the summary's facts, in both languages", () => {
    const offboarding = event(
      "grant.revoked",
      { cause: "person-left", count: 3, systems: 2, items: { count: 3 } },
      { targetType: "person", targetId: LI, reason: "HR feed" },
    );
    expect(en(offboarding, names)).toBe("张三 (E0001) ended 3 grants of 李四 (E0102) (the person left)");
    expect(zh(offboarding, names)).toBe("张三 (E0001) 结束了 李四 (E0102) 的 3 项授权（人员离职）");
    const one = event("grant.revoked", { cause: "revoked", count: 1, before: { personId: LI, systemId: SYS, roleId: ROLE } });
    expect(en(one, names)).toBe("张三 (E0001) ended 1 grant of 李四 (E0102) (revoked)");
    const granted = event("grant.created", { after: { personId: LI, systemId: SYS, roleId: ROLE, endsAt: null } });
    expect(en(granted, names)).toBe("张三 (E0001) granted 营业员 in BOSS 计费系统 to 李四 (E0102)");
    expect(zh(granted, names)).toBe("张三 (E0001) 向 李四 (E0102) 授予 BOSS 计费系统 的 营业员 角色");
    const status = event(
      "person.status-changed",
      { before: { status: "ACTIVE" }, after: { status: "LEFT" }, grantsRevoked: 4, sessionsEnded: 1 },
      { targetType: "person", targetId: LI },
    );
    expect(en(status, names)).toBe("张三 (E0001) changed the status of 李四 (E0102) from active to left, ending 4 grants");
    expect(zh(status, names)).toBe("张三 (E0001) 将 李四 (E0102) 的状态由在职/启用改为离职，结束了 4 项授权");
  });

  it("falls back to a shorter sentence when facts are missing, never showing a placeholder", () => {
    // A bulk grant.created names no person: the short form with the count.
    const bulk = event("grant.created", { systemId: SYS, count: 40, items: { count: 40 } }, { targetType: "system", targetId: SYS });
    expect(en(bulk, names)).toBe("张三 (E0001) granted 40 roles in BOSS 计费系统");
    expect(zh(bulk, names)).toBe("张三 (E0001) 在 BOSS 计费系统 中授予了 40 项角色");
    // An id nothing resolves and no facts: the action's label.
    expect(en(event("grant.created", null), names)).toBe("张三 (E0001): Role granted");
    expect(zh(event("grant.created", null), names)).toBe("张三 (E0001)：授予角色");
  });

  it("renders every action, with no summary and with a representative one, without '{' or 'undefined'", () => {
    const representative = {
      count: 2,
      cause: "review",
      number: "REQ-000001",
      campaign: "RC-000001",
      format: "csv",
      personId: LI,
      systemId: SYS,
      roleId: ROLE,
      before: { status: "ACTIVE", name: "旧", personId: LI },
      after: { status: "LOCKED", name: "新", personId: LI },
      items: { count: 2, digest: "x", kinds: { grant: 2 } },
    };
    for (const [locale, write] of [
      ["en", en],
      ["zh-CN", zh],
    ] as const)
      for (const action of AUDIT_ACTIONS)
        for (const summary of [null, {}, representative, { unexpected: { nested: true } }]) {
          const text = write(event(action, summary, { targetType: "person", targetId: LI, reason: "工单 123" }), names);
          const label = `${locale} ${action} ${JSON.stringify(summary)}: ${text}`;
          expect(text, label).not.toMatch(/[{}]|undefined|NaN|\[object/);
          expect(text.trim().length, label).toBeGreaterThan(3);
          expect(text, label).not.toContain("audit.");
        }
  });
});
