// Notifications (lib/notifications): the in-app inbox, e-mail queued in the same transaction in the
// recipient's language, delivery over real SMTP to a local capture server with retries, and server push.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { outboxAddress } from "@/lib/notifications/deliver-email";
import { getDb, inTransaction } from "@/lib/db";
import { notify } from "@/lib/notifications/notify";
import { deliverDueEmails, MAX_EMAIL_ATTEMPTS } from "@/lib/notifications/deliver-email";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/mark-read";
import { listNotifications, unreadNotificationCount } from "@/lib/notifications/queries";
import { setPreferredLocale } from "@/lib/accounts/set-preferred-locale";
import { eventHub, type HubEvent } from "@/lib/events/hub";
import { personTopic } from "@/lib/events/publish";
import { expectDomainError, expectZodError, FACTORY, makeActor, makePerson } from "../factories";
import { startSmtpCapture } from "../smtp-capture";

let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
const DAY = 86_400_000;

beforeAll(async () => {
  smtp = await startSmtpCapture();
});
afterAll(async () => {
  await smtp.close();
  await eventHub().close();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function withSmtp() {
  vi.stubEnv("SMTP_URL", smtp.url);
  vi.stubEnv("SMTP_FROM", "4A portal <portal@test.example>");
  vi.stubEnv("PORTAL_URL", "https://portal.test.example/");
}

const outboxOf = (personId: string) => getDb().emailOutbox.findMany({ where: { recipientId: personId }, orderBy: { createdAt: "asc" } });
const vaultParams = {
  operator: "陈静 (E0005)",
  scenario: "查看完整个人信息",
  scenarioEn: "Reveal full personal data",
  target: "赵磊 (E0100)",
};

/** Sends everything due (far in the future, so rescheduled retries are due too) to the capture server. */
async function drain(days = 0) {
  const later = new Date(Date.now() + days * DAY);
  return deliverDueEmails({ now: () => later });
}

describe("notify", () => {
  it("writes one in-app notification per distinct recipient and, without SMTP, no e-mail", async () => {
    const a = await makePerson();
    const b = await makePerson();
    await inTransaction((tx) =>
      notify(tx, {
        recipientIds: [a.person.id, b.person.id, a.person.id],
        kind: "vault-prompt",
        params: vaultParams,
        link: "/notifications",
      }),
    );
    const rows = await getDb().notification.findMany({ where: { recipientId: { in: [a.person.id, b.person.id] } } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ kind: "vault-prompt", params: vaultParams, link: "/notifications", readAt: null });
    expect(await outboxOf(a.person.id)).toEqual([]);
    expect(await unreadNotificationCount(a.person.id)).toBe(1);
  });

  it("with SMTP configured, queues an e-mail per recipient in their language (zh-CN unless chosen), not for people without an address or who left", async () => {
    withSmtp();
    const zh = await makeActor();
    const en = await makeActor();
    await inTransaction((tx) => setPreferredLocale(tx, en.actor, { locale: "en" }));
    const noMail = await makePerson();
    await getDb().person.update({ where: { id: noMail.person.id }, data: { emailEnc: null, emailIndex: null } });
    const leaver = await makePerson();
    await getDb().person.update({ where: { id: leaver.person.id }, data: { status: "LEFT" } });
    await inTransaction((tx) =>
      notify(tx, {
        recipientIds: [zh.person.id, en.person.id, noMail.person.id, leaver.person.id],
        kind: "vault-prompt",
        params: vaultParams,
        link: "/vault",
      }),
    );
    const [zhMail] = await outboxOf(zh.person.id);
    // The queued address is stored encrypted like the person's own (decision 0019); the sender decrypts it.
    expect(zhMail!.toAddress).not.toContain("@");
    expect(outboxAddress(zhMail!.toAddress)).toBe(zh.person.email);
    expect(zhMail).toMatchObject({
      locale: "zh-CN",
      kind: "vault-prompt",
      status: "PENDING",
      attempts: 0,
      link: "/vault",
    });
    expect(zhMail!.notificationId).toBeTruthy();
    const enMail = (await outboxOf(en.person.id))[0];
    expect(enMail).toMatchObject({ locale: "en" });
    expect(outboxAddress(enMail!.toAddress)).toBe(en.person.email);
    expect(await outboxOf(noMail.person.id)).toEqual([]);
    expect(await outboxOf(leaver.person.id)).toEqual([]);
    await drain();
  });

  it("writes nothing when the transaction rolls back", async () => {
    withSmtp();
    const a = await makePerson();
    await inTransaction(async (tx) => {
      await notify(tx, { recipientIds: [a.person.id], kind: "vault-prompt", params: vaultParams });
      throw new Error("the change failed");
    }).catch(() => {});
    expect(await getDb().notification.count({ where: { recipientId: a.person.id } })).toBe(0);
    expect(await outboxOf(a.person.id)).toEqual([]);
  });
});

describe("e-mail delivery", () => {
  it("sends each queued e-mail over SMTP in the recipient's language, with a link to the portal", async () => {
    withSmtp();
    await drain();
    smtp.messages.length = 0;
    const zh = await makeActor();
    const en = await makeActor();
    await inTransaction((tx) => setPreferredLocale(tx, en.actor, { locale: "en" }));
    await inTransaction((tx) => notify(tx, { recipientIds: [zh.person.id], kind: "vault-prompt", params: vaultParams, link: "/vault" }));
    await inTransaction((tx) =>
      notify(tx, {
        recipientIds: [en.person.id],
        kind: "vault-decided",
        params: {
          outcome: "APPROVED",
          approver: "Chen Jing (E0005)",
          scenario: "Reveal full personal data",
          scenarioEn: "Reveal full personal data",
          target: "Zhao Lei (E0100)",
        },
        link: "/people/x",
      }),
    );
    const result = await drain();
    expect(result).toMatchObject({ sent: 2, failed: 0 });

    const toZh = smtp.messages.find((m) => m.to.includes(zh.person.email!))!;
    expect(toZh.from).toBe("portal@test.example");
    expect(toZh.subject).toMatch(/^【.+】金库审批请求$/);
    expect(toZh.subject).toContain("金库审批请求");
    expect(toZh.text).toContain("陈静 (E0005) 请求您审批对 赵磊 (E0100) 的“查看完整个人信息”操作");
    expect(toZh.text).toContain("https://portal.test.example/vault");
    expect(toZh.html).toContain("在门户中打开");

    const toEn = smtp.messages.find((m) => m.to.includes(en.person.email!))!;
    expect(toEn.subject).toContain("Vault request approved");
    expect(toEn.text).toContain('Chen Jing (E0005) approved your request "Reveal full personal data" on Zhao Lei (E0100).');
    expect(toEn.text).toContain("https://portal.test.example/people/x");

    for (const p of [zh, en]) expect((await outboxOf(p.person.id))[0]).toMatchObject({ status: "SENT", attempts: 1, lastError: null });
    expect((await outboxOf(zh.person.id))[0]!.sentAt).toBeInstanceOf(Date);
  });

  it("retries a refused e-mail later with backoff, keeping the error, and gives up (FAILED) after the last attempt", async () => {
    withSmtp();
    await drain();
    const p = await makePerson();
    await inTransaction((tx) => notify(tx, { recipientIds: [p.person.id], kind: "vault-prompt", params: vaultParams }));
    smtp.failNext(1);
    const first = await deliverDueEmails();
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    let [row] = await outboxOf(p.person.id);
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row!.lastError).toMatch(/451|Try again/);
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Not due yet: nothing happens.
    expect(await deliverDueEmails()).toMatchObject({ sent: 0, retried: 0 });
    expect(await drain(1)).toMatchObject({ sent: 1 });
    [row] = await outboxOf(p.person.id);
    expect(row).toMatchObject({ status: "SENT", attempts: 2, lastError: null });

    const q = await makePerson();
    await inTransaction((tx) => notify(tx, { recipientIds: [q.person.id], kind: "vault-prompt", params: vaultParams }));
    smtp.failNext(1000);
    for (let i = 1; i <= MAX_EMAIL_ATTEMPTS; i++) await drain(i);
    smtp.failNext(0);
    [row] = await outboxOf(q.person.id);
    expect(row).toMatchObject({ status: "FAILED", attempts: MAX_EMAIL_ATTEMPTS });
    expect(row!.lastError).toMatch(/451|Try again/);
    expect(await drain(30)).toMatchObject({ sent: 0 });
  });

  it("sends each e-mail once when two processes deliver at the same time", async () => {
    withSmtp();
    await drain(60);
    smtp.messages.length = 0;
    const people = await Promise.all(Array.from({ length: 6 }, () => makePerson()));
    await inTransaction((tx) => notify(tx, { recipientIds: people.map((p) => p.person.id), kind: "vault-prompt", params: vaultParams }));
    const [a, b] = await Promise.all([deliverDueEmails({ batchSize: 2 }), deliverDueEmails({ batchSize: 2 })]);
    expect(a.sent + b.sent).toBe(6);
    const to = smtp.messages.flatMap((m) => m.to).sort();
    expect(to).toEqual(people.map((p) => p.person.email!).sort());
  });

  it("does nothing when SMTP is not configured", async () => {
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 0, failed: 0 });
  });
});

describe("the inbox", () => {
  it("marks the recipient's own notifications read, one or all; someone else's is NOT_FOUND and unchanged", async () => {
    const me = await makeActor();
    const other = await makeActor();
    for (let i = 0; i < 3; i++)
      await inTransaction((tx) => notify(tx, { recipientIds: [me.person.id, other.person.id], kind: "vault-prompt", params: vaultParams }));
    const mine = await getDb().notification.findMany({ where: { recipientId: me.person.id }, orderBy: { createdAt: "asc" } });
    const theirs = await getDb().notification.findFirstOrThrow({ where: { recipientId: other.person.id } });

    expect(await inTransaction((tx) => markNotificationRead(tx, me.actor, { notificationId: mine[0]!.id }))).toEqual({ changed: true });
    expect(await inTransaction((tx) => markNotificationRead(tx, me.actor, { notificationId: mine[0]!.id }))).toEqual({ changed: false });
    expect(await unreadNotificationCount(me.person.id)).toBe(2);
    await expectDomainError(
      inTransaction((tx) => markNotificationRead(tx, me.actor, { notificationId: theirs.id })),
      "NOT_FOUND",
    );
    expect((await getDb().notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull();
    await expectZodError(inTransaction((tx) => markNotificationRead(tx, me.actor, { notificationId: "1 OR 1=1" })));
    await expectDomainError(
      inTransaction((tx) => markNotificationRead(tx, FACTORY, { notificationId: theirs.id })),
      "FORBIDDEN",
    );

    expect(await inTransaction((tx) => markAllNotificationsRead(tx, me.actor))).toBe(2);
    expect(await unreadNotificationCount(me.person.id)).toBe(0);
    expect(await unreadNotificationCount(other.person.id)).toBe(3);
  });

  it("pages with keysets, unread first or newest first", async () => {
    const me = await makeActor();
    for (let i = 0; i < 35; i++)
      await inTransaction((tx) =>
        notify(tx, { recipientIds: [me.person.id], kind: "vault-prompt", params: { ...vaultParams, target: `T${i}` } }),
      );
    const all = await getDb().notification.findMany({
      where: { recipientId: me.person.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    // The five oldest stay unread; the rest are read.
    await getDb().notification.updateMany({ where: { id: { in: all.slice(5).map((n) => n.id) } }, data: { readAt: new Date() } });

    const first = await listNotifications(me.actor, { show: "all", order: "unread-first" });
    expect(first.rows).toHaveLength(30);
    expect(first.rows.slice(0, 5).map((r) => r.id)).toEqual(
      all
        .slice(0, 5)
        .reverse()
        .map((n) => n.id),
    );
    expect(first.rows.slice(5).every((r) => r.readAt)).toBe(true);
    const second = await listNotifications(me.actor, { show: "all", order: "unread-first", cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    expect([...first.rows, ...second.rows].map((r) => r.id).sort()).toEqual(all.map((n) => n.id).sort());

    const newest = await listNotifications(me.actor, { show: "all", order: "newest" });
    expect(newest.rows[0]!.id).toBe(all[34]!.id);
    const unread = await listNotifications(me.actor, { show: "unread", order: "newest" });
    expect(unread.rows.map((r) => r.id)).toEqual(
      all
        .slice(0, 5)
        .reverse()
        .map((n) => n.id),
    );
    // A forged cursor is the first page, never an error.
    expect((await listNotifications(me.actor, { show: "all", order: "newest", cursor: "bm9wZQ" })).rows[0]!.id).toBe(all[34]!.id);
  });
});

describe("the language for e-mail", () => {
  it("is remembered for the signed-in person only, and only zh-CN or en", async () => {
    const me = await makeActor();
    await inTransaction((tx) => setPreferredLocale(tx, me.actor, { locale: "en" }));
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: me.account.id } })).preferredLocale).toBe("en");
    await expectZodError(inTransaction((tx) => setPreferredLocale(tx, me.actor, { locale: "fr" as "en" })));
    await expectDomainError(
      inTransaction((tx) => setPreferredLocale(tx, FACTORY, { locale: "en" })),
      "FORBIDDEN",
    );
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: me.account.id } })).preferredLocale).toBe("en");
  });
});

describe("server push", () => {
  it("tells the recipient's subscribers when the transaction commits, and not when it rolls back", async () => {
    const p = await makePerson();
    const events: HubEvent[] = [];
    const unsubscribe = eventHub().subscribe([personTopic(p.person.id)], (e) => events.push(e));
    await eventHub().ready();
    await inTransaction(async (tx) => {
      await notify(tx, { recipientIds: [p.person.id], kind: "vault-prompt", params: vaultParams });
      throw new Error("rolled back");
    }).catch(() => {});
    await inTransaction((tx) => notify(tx, { recipientIds: [p.person.id], kind: "vault-prompt", params: vaultParams }));
    await vi.waitFor(() => expect(events.filter((e) => e.type === "notifications")).toHaveLength(1));
    expect(events[0]).toMatchObject({ type: "notifications", topic: personTopic(p.person.id) });
    unsubscribe();
  });
});
