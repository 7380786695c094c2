import fs from "node:fs";
import path from "node:path";

/**
 * Which message namespaces the browser needs under each route (issue 13: the client provider carried
 * every message on every page). From each page.tsx it follows the imports (app/, components/, lib/,
 * i18n/) and collects the namespaces of every useTranslations it reaches; a page belongs to the
 * nearest layout that renders <ClientMessages route="…">, or to the root provider. Read by
 * tests/unit/client-messages.test.ts; `npx tsx scripts/lib/client-namespaces.ts` prints the map.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(ROOT, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return null;
  for (const candidate of [base, `${base}.tsx`, `${base}.ts`, path.join(base, "index.tsx"), path.join(base, "index.ts")])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile() && /\.(ts|tsx)$/.test(candidate)) return candidate;
  return null;
}

const importNamespaces = (): string[] => {
  const src = fs.readFileSync(path.join(ROOT, "components/imports/file-import.tsx"), "utf8");
  const decl = /ImportNamespace = ([^;]+);/.exec(src)?.[1] ?? "";
  return [...decl.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
};

export type Reach = { namespaces: Set<string>; dynamic: string[] };

/** The namespaces of every useTranslations reachable from `entry` through local imports. */
export function reachableNamespaces(entry: string, seen = new Set<string>()): Reach {
  const out: Reach = { namespaces: new Set(), dynamic: [] };
  const visit = (file: string) => {
    if (seen.has(file) || file.includes(`${path.sep}generated${path.sep}`)) return;
    seen.add(file);
    const src = fs.readFileSync(file, "utf8");
    for (const m of src.matchAll(/useTranslations\(([^)]*)\)/g)) {
      const arg = m[1]!.trim();
      const literal = /^"([^"]+)"$/.exec(arg)?.[1];
      if (literal) out.namespaces.add(literal);
      else if (arg === "namespace" && src.includes("ImportNamespace")) importNamespaces().forEach((n) => out.namespaces.add(n));
      else out.dynamic.push(`${path.relative(ROOT, file)}: useTranslations(${arg})`);
    }
    for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"([^"]+)"/g)) {
      const target = resolveImport(file, m[1]!);
      if (target) visit(target);
    }
  };
  visit(entry);
  return out;
}

function walk(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, name) : e.name === name ? [full] : [];
  });
}

/** The route key of a layout that provides its own client messages (its directory under app/), or null. */
export function providerRoute(layout: string): string | null {
  const src = fs.readFileSync(layout, "utf8");
  return /<ClientMessages\s+route="([^"]+)"/.exec(src)?.[1] ?? null;
}

/** For each provider ("root" or a route key), the namespaces its pages (and layouts below it) reach. */
export function requiredNamespaces(): Map<string, Reach> {
  const app = path.join(ROOT, "app");
  const providers = new Map<string, string>();
  for (const layout of walk(app, "layout.tsx")) {
    const route = providerRoute(layout);
    if (route) providers.set(path.dirname(layout), route);
  }
  const result = new Map<string, Reach>();
  const add = (key: string, reach: Reach) => {
    const into = result.get(key) ?? { namespaces: new Set(), dynamic: [] };
    reach.namespaces.forEach((n) => into.namespaces.add(n));
    into.dynamic.push(...reach.dynamic);
    result.set(key, into);
  };
  const providerOf = (dir: string): string => {
    for (let d = dir; d.startsWith(app); d = path.dirname(d)) {
      const route = providers.get(d);
      if (route) return route;
    }
    return "root";
  };
  for (const page of walk(app, "page.tsx")) add(providerOf(path.dirname(page)), reachableNamespaces(page));
  // Layouts render inside the provider above them (a provider's own layout renders it, so its other
  // content is outside it: counted for the provider above).
  for (const layout of walk(app, "layout.tsx")) {
    const dir = path.dirname(layout);
    const own = providers.has(dir);
    add(own ? providerOf(path.dirname(dir)) : providerOf(dir), reachableNamespaces(layout));
  }
  for (const boundary of ["error.tsx", "not-found.tsx", "forbidden.tsx", "global-error.tsx"])
    for (const file of walk(app, boundary)) add("root", reachableNamespaces(file));
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const [key, reach] of requiredNamespaces()) console.log(key, JSON.stringify([...reach.namespaces].sort()), reach.dynamic);
}
