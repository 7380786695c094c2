import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";

// Pickers for large sets are typeaheads with a tree browser (issue 13): on the e2e seed's 2,000-unit
// tree, a keystroke offers at most 20 matches with "More…", the tree loads a unit's children when it
// is expanded, and both work from the keyboard.

test("HR filters the people list by a unit found by typing, then by one found in the tree", async ({ page }) => {
  await signIn(page, "E0004");
  await page.goto("/people");
  const search = page.getByRole("search");
  const org = search.getByRole("combobox", { name: "Department" });
  await expect(org).toHaveAttribute("aria-expanded", "false");
  await org.fill("Scale Team 1");
  const list = page.getByRole("listbox");
  await expect(list.getByRole("option")).toHaveCount(20);
  await expect(org).toHaveAttribute("aria-expanded", "true");
  await list.getByRole("button", { name: "More…" }).click();
  await expect(list.getByRole("option")).toHaveCount(40);
  await org.fill("Scale Team 1234");
  await expect(list.getByRole("option")).toHaveCount(1);
  await org.press("Escape");
  await expect(org).toHaveAttribute("aria-expanded", "false");
  await org.fill("Scale Team 1234");
  await expect(list.getByRole("option")).toHaveCount(1);
  await org.press("Enter");
  await expect(org).toHaveValue("Scale Team 1234");
  await search.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]org=[0-9a-f-]{36}/);
  await expect(page.getByRole("search").getByRole("combobox", { name: "Department" })).toHaveValue("Scale Team 1234");

  // The tree: top level first, children fetched on expand (Right arrow), chosen with Enter.
  await page.getByRole("search").getByRole("button", { name: "Browse" }).click();
  const tree = page.getByRole("tree", { name: "Organisation tree" });
  await expect(tree.getByRole("treeitem").first()).toBeVisible();
  const top = await tree.getByRole("treeitem").count();
  expect(top).toBeLessThanOrEqual(20);
  const scale = tree.getByRole("treeitem", { name: /Scale Test Province/ });
  await expect(scale).toHaveAttribute("aria-expanded", "false");
  for (let i = 0; i < top; i++) {
    if ((await tree.getAttribute("aria-activedescendant")) === (await scale.getAttribute("id"))) break;
    await tree.press("ArrowDown");
  }
  await tree.press("ArrowRight");
  await expect(scale).toHaveAttribute("aria-expanded", "true");
  await expect(tree.locator('[role="treeitem"][aria-level="2"]')).toHaveCount(20);
  await tree.press("ArrowDown");
  await tree.press("Enter");
  await expect(tree).toHaveCount(0);
  await expect(page.getByRole("search").getByRole("combobox", { name: "Department" })).toHaveValue(/^Scale Division \d+$/);
});

test("the lookups answer only signed-in people with the right permission, and refuse bad input with a 400", async ({ page, browser }) => {
  const anonymous = await page.request.get("/lookup/org-units?q=IT", { maxRedirects: 0 });
  expect(anonymous.status()).toBe(401);
  await signIn(page, "E0100", { mfa: false });
  expect((await page.request.get("/lookup/org-units?q=IT")).status()).toBe(403);
  const hr = await (await browser.newContext()).newPage();
  await signIn(hr, "E0004");
  const bad = await hr.request.get("/lookup/org-units?parent=..%2F..");
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ code: "VALIDATION" });
  // NUL and other control characters (PostgreSQL refuses U+0000 in text): a 400, never a 500.
  for (const query of ["q=%00", "q=IT%1B", "cursor=%00"]) {
    const control = await hr.request.get(`/lookup/org-units?${query}`);
    expect(control.status(), query).toBe(400);
    expect(await control.json()).toMatchObject({ code: "VALIDATION" });
  }
  const ok = await hr.request.get("/lookup/org-units?q=Scale");
  expect(ok.status()).toBe(200);
  const body = (await ok.json()) as { items: unknown[]; nextCursor: string | null };
  expect(body.items).toHaveLength(20);
  expect(body.nextCursor).toBeTruthy();
});
