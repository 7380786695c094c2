import { describe, expect, it } from "vitest";
import { clientMessages, ROOT_NAMESPACES, ROUTE_NAMESPACES } from "@/i18n/client-messages";
import { messagesFor } from "@/i18n/messages";
import { requiredNamespaces } from "../../scripts/lib/client-namespaces";

// The browser gets only the messages its route's client components read (issue 13). A namespace a
// page reaches but its provider does not send would render message keys instead of text.
const covers = (list: readonly string[], ns: string) => list.some((c) => ns === c || ns.startsWith(`${c}.`));

describe("client messages", () => {
  const required = requiredNamespaces();
  const listed: Record<string, readonly string[]> = { root: ROOT_NAMESPACES, ...ROUTE_NAMESPACES };

  it("finds the pages and the namespaces it checks", () => {
    expect(required.get("root")?.namespaces.has("shell")).toBe(true);
    expect(required.get("(portal)/people/[id]")?.namespaces.has("personDetail")).toBe(true);
    expect([...required.keys()].length).toBeGreaterThan(20);
  });

  it("sends every namespace a route's components read with useTranslations, each named literally", () => {
    for (const [route, reach] of required) {
      expect(reach.dynamic, `${route}: a namespace that is not a literal cannot be checked`).toEqual([]);
      const list = listed[route];
      expect(list, `${route} renders <ClientMessages route="${route}"> but i18n/client-messages.ts has no entry`).toBeDefined();
      for (const ns of reach.namespaces) expect(covers(list!, ns), `${route} needs "${ns}" (i18n/client-messages.ts)`).toBe(true);
    }
  });

  it("sends nothing a route does not read, and every listed route has its layout", () => {
    for (const [route, list] of Object.entries(listed)) {
      const reach = required.get(route);
      expect(reach, `ROUTE_NAMESPACES["${route}"] has no layout rendering <ClientMessages route="${route}">`).toBeDefined();
      for (const ns of list)
        expect(
          [...reach!.namespaces].some((n) => n === ns || n.startsWith(`${ns}.`)),
          `${route} sends "${ns}", which none of its components reads`,
        ).toBe(true);
    }
  });

  it("cuts the messages to the namespaces, keeping dotted paths under their parents", () => {
    for (const locale of ["en", "zh-CN"] as const) {
      const all = messagesFor(locale);
      const picked = clientMessages(all, ROUTE_NAMESPACES["(portal)/people/[id]"]);
      expect(picked.personDetail).toEqual(all.personDetail);
      expect((picked.lifecycle as Record<string, unknown>).mover).toEqual((all.lifecycle as Record<string, unknown>).mover);
      expect(Object.keys(picked.lifecycle as object).sort()).toEqual(["accounts", "mover", "password"]);
      expect(picked.audit).toBeUndefined();
      expect(Object.keys(clientMessages(all, ROOT_NAMESPACES)).sort()).toEqual(["errorPages", "notifications", "shell", "vault"]);
      expect(JSON.stringify(clientMessages(all, ROOT_NAMESPACES)).length).toBeLessThan(JSON.stringify(all).length / 5);
    }
  });
});
