/**
 * `npm run bench:http` (issue 13 §4): the real pages over real HTTP on the scale data.
 *
 * Starts the scale database (scripts/bench/scale-db.ts; run `npm run seed:scale` once first), builds the
 * portal if its inputs changed (scripts/lib/build.ts) and serves the production build with
 * scripts/serve.ts as PORTAL_ROLE=web (no batch work in the measured process), signs in as the benchmark
 * actors the way a browser without JavaScript does (the sign-in forms' server actions posted as
 * multipart forms with the portal's Origin; employee number, `Scale!Portal2026`, then the TOTP code
 * from lib/seed/scale-totp.ts), and for each page measures: the HTML bytes (uncompressed), 30
 * sequential requests (p50/p95), then 20 s at 1, 5 and 20 concurrent connections (req/s, p50/p95/p99,
 * errors: anything but the expected 200 page). next-server's peak resident memory is sampled from
 * /proc/<pid>/status (VmRSS summed over the server's process tree) every 200 ms.
 *
 * The load generator is a small closed-loop client on Node's fetch (undici): autocannon is not in
 * this machine's offline npm cache, and a closed loop (each connection sends its next request when the
 * previous answer is read whole) is what autocannon does too.
 *
 *   npm run bench:http                 full run (≈ 9 pages × 70 s)
 *   npm run bench:http -- --quick      smoke: 5 sequential requests, 3 s per concurrency level
 *   npm run bench:http -- --write      also replace the bench:http results in docs/benchmarks.md
 *   PORT=3103 chooses the port (default 3199).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { TOTP } from "otpauth";
import { scaleTotpSecret } from "@/lib/seed/scale-totp";
import { dayIn } from "@/lib/time/calendar";
import { buildIfNeeded } from "../lib/build";
import { loadLocalSecrets } from "../lib/local-env";
import { PROJECT_ROOT } from "../lib/postgres";
import { machineLine } from "./harness";
import { summarize } from "./http-stats";
import { connectScale, startScaleDatabase, stopScaleOnSignals } from "./scale-db";

const args = new Set(process.argv.slice(2));
const QUICK = args.has("--quick");
const WRITE = args.has("--write");
const SEQUENTIAL = QUICK ? 5 : 30;
const SECONDS = QUICK ? 3 : 20;
const LEVELS = [1, 5, 20];
const PORT = Number(process.env.PORT ?? 3199);
const BASE = `http://127.0.0.1:${PORT}`;
/** scripts/seed-scale.ts's SCALE_PASSWORD (that module runs the seed when imported). */
const SCALE_PASSWORD = "Scale!Portal2026";

// --- cookies -------------------------------------------------------------------------------------
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

function decodeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The hidden inputs of the first <form> (React's $ACTION_* fields that name the server action). */
function hiddenInputs(html: string): [string, string][] {
  const form = /<form[\s\S]*?<\/form>/.exec(html)?.[0];
  if (!form) throw new Error("no form on the sign-in page");
  const out: [string, string][] = [];
  for (const tag of form.match(/<input[^>]*>/g) ?? []) {
    if (!/type="hidden"/.test(tag)) continue;
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    if (name) out.push([decodeHtml(name), decodeHtml(/value="([^"]*)"/.exec(tag)?.[1] ?? "")]);
  }
  return out;
}

async function get(jar: Jar, url: string): Promise<Response> {
  const res = await fetch(BASE + url, { headers: { cookie: jar.header() }, redirect: "manual" });
  jar.take(res);
  return res;
}

/** Posts the page's first form with `fields`, as a browser without JavaScript would; returns the answer. */
async function postForm(jar: Jar, url: string, fields: Record<string, string>): Promise<Response> {
  const page = await get(jar, url);
  if (page.status !== 200) throw new Error(`GET ${url}: ${page.status}`);
  const body = new FormData();
  for (const [k, v] of hiddenInputs(await page.text())) body.append(k, v);
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  const res = await fetch(BASE + url, {
    method: "POST",
    body,
    headers: { cookie: jar.header(), origin: BASE },
    redirect: "manual",
  });
  jar.take(res);
  await res.arrayBuffer();
  return res;
}

async function signIn(employeeNo: string): Promise<Jar> {
  const jar = new Jar();
  const first = await postForm(jar, "/sign-in", { login: employeeNo, password: SCALE_PASSWORD });
  const to = first.headers.get("location") ?? "";
  if (!to.includes("/sign-in/mfa")) throw new Error(`${employeeNo}: the password step answered ${first.status} ${to}`);
  const code = new TOTP({ secret: scaleTotpSecret(employeeNo), digits: 6, period: 30 }).generate();
  const second = await postForm(jar, "/sign-in/mfa", { code });
  if (second.status < 300 || second.status >= 400)
    throw new Error(`${employeeNo}: the second factor answered ${second.status} (not a redirect into the portal)`);
  const home = await get(jar, "/");
  if (home.status !== 200) throw new Error(`${employeeNo}: signed in, but / answered ${home.status}`);
  await home.arrayBuffer();
  return jar;
}

// --- memory --------------------------------------------------------------------------------------
function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(entry));
    } catch {
      /* the process ended meanwhile */
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      total += Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

// --- load ----------------------------------------------------------------------------------------
type Page = { label: string; url: string; jar: Jar };

/** One request; an error unless it is a 200 HTML page (a redirect to sign-in or an error page is not). */
async function hit(page: Page): Promise<{ ms: number; bytes: number; ok: boolean }> {
  const started = performance.now();
  try {
    const res = await fetch(BASE + page.url, { headers: { cookie: page.jar.header() }, redirect: "manual" });
    const text = await res.text();
    const ok = res.status === 200 && text.includes("</html>") && !text.includes('name="password"');
    return { ms: performance.now() - started, bytes: Buffer.byteLength(text), ok };
  } catch {
    return { ms: performance.now() - started, bytes: 0, ok: false };
  }
}

async function closedLoop(page: Page, connections: number, seconds: number) {
  const times: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const r = await hit(page);
        times.push(r.ms);
        if (!r.ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { rps: times.length / elapsed, errors, ...summarize(times) };
}

// --- main ----------------------------------------------------------------------------------------
loadLocalSecrets();
const db = await startScaleDatabase();
stopScaleOnSignals(db);
let server: ChildProcess | undefined;
let peakKb = 0;
try {
  const pgc = await connectScale(db.url);
  const people = Number((await pgc.query("select count(*) n from person")).rows[0].n);
  if (people < 10_000) throw new Error(`the scale database has ${people} people: run \`npm run seed:scale\` first`);
  const holder = async (role: string, where = "true") => {
    const r = await pgc.query(
      `select p.employee_no from portal_role_assignment a join person p on p.id = a.person_id
        left join org_unit o on o.id = a.org_unit_id left join business_system s on s.id = a.system_id
        where a.role = $1 and ${where} order by p.employee_no limit 1`,
      [role],
    );
    if (!r.rows[0]) throw new Error(`no ${role} in the scale database`);
    return r.rows[0].employee_no as string;
  };
  const actors = {
    hr: await holder("HR"),
    officer: await holder("SECURITY_OFFICER"),
    approver: await holder("APPROVER", "o.code = 'U0002'"),
    sysadmin: await holder("SYSTEM_ADMIN"),
    admin: await holder("ACCOUNT_ADMIN", "s.code = 'SYS001'"),
  };
  const personId = (await pgc.query("select id from person order by employee_no offset 5000 limit 1")).rows[0].id as string;
  const systemId = (await pgc.query("select id from business_system where code = 'SYS001'")).rows[0]?.id as string | undefined;
  await pgc.end();

  buildIfNeeded();
  server = spawn(
    path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx"),
    [path.join(PROJECT_ROOT, "scripts", "serve.ts"), "-p", String(PORT), "-H", "127.0.0.1"],
    {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        DATABASE_OWNER_URL: undefined,
        DATABASE_ADMIN_URL: undefined,
        NODE_ENV: "production",
        PORTAL_ROLE: "web",
        PORTAL_URL: BASE,
        LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      },
    },
  );
  const serverPid = server.pid!;
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`the portal exited with ${server.exitCode}`);
    const up = await fetch(`${BASE}/sign-in`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    if (i > 600) throw new Error("the portal did not answer /sign-in within 120 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  const sampler = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(serverPid))), 200);

  const jars = {
    hr: await signIn(actors.hr),
    officer: await signIn(actors.officer),
    approver: await signIn(actors.approver),
    sysadmin: await signIn(actors.sysadmin),
    admin: await signIn(actors.admin),
  };
  const pages: Page[] = [
    { label: "/people (HR)", url: "/people", jar: jars.hr },
    { label: "/people?q=王 (HR)", url: `/people?q=${encodeURIComponent("王")}`, jar: jars.hr },
    { label: "/people?status=LEFT (HR)", url: "/people?status=LEFT", jar: jars.hr },
    { label: "/people/[id] (HR)", url: `/people/${personId}`, jar: jars.hr },
    { label: "/roster (officer)", url: "/roster", jar: jars.officer },
    { label: "/audit (officer)", url: "/audit", jar: jars.officer },
    { label: "/policy (officer)", url: "/policy", jar: jars.officer },
    { label: "/offboarding (HR)", url: "/offboarding", jar: jars.hr },
    { label: "/approvals (approver)", url: "/approvals", jar: jars.approver },
    ...(systemId ? [{ label: "/systems/[SYS001] (admin)", url: `/systems/${systemId}`, jar: jars.admin }] : []),
    { label: "/ (HR)", url: "/", jar: jars.hr },
    { label: "/ (officer)", url: "/", jar: jars.officer },
    { label: "/ (approver)", url: "/", jar: jars.approver },
    { label: "/ (system admin)", url: "/", jar: jars.sysadmin },
  ];

  const rows: string[] = [];
  const header =
    "| page | HTML bytes | seq p50 / p95 | 1 conn: req/s, p95 | 5 conns: req/s, p95 | 20 conns: req/s, p50 / p95 / p99 | errors | peak RSS |\n" +
    "|---|--:|--:|--:|--:|--:|--:|--:|";
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  for (const page of pages) {
    const first = await hit(page);
    if (!first.ok) throw new Error(`${page.label}: not the expected 200 page`);
    const seq: number[] = [];
    let seqErrors = 0;
    for (let i = 0; i < SEQUENTIAL; i++) {
      const r = await hit(page);
      seq.push(r.ms);
      if (!r.ok) seqErrors++;
    }
    const s = summarize(seq);
    peakKb = 0;
    const levels = [];
    for (const c of LEVELS) levels.push(await closedLoop(page, c, SECONDS));
    peakKb = Math.max(peakKb, treeRssKb(serverPid));
    const [one, five, twenty] = levels as [(typeof levels)[0], (typeof levels)[0], (typeof levels)[0]];
    const errors = seqErrors + levels.reduce((n, l) => n + l.errors, 0);
    const row =
      `| ${page.label} | ${first.bytes.toLocaleString("en")} | ${fmt(s.p50)} / ${fmt(s.p95)} ms | ${fmt(one.rps)}, ${fmt(one.p95)} ms | ` +
      `${fmt(five.rps)}, ${fmt(five.p95)} ms | ${fmt(twenty.rps)}, ${fmt(twenty.p50)} / ${fmt(twenty.p95)} / ${fmt(twenty.p99)} ms | ${errors} | ${(peakKb / 1024).toFixed(0)} MB |`;
    rows.push(row);
    console.log(row);
  }
  clearInterval(sampler);
  const table = `${header}\n${rows.join("\n")}`;
  const stamp = `Measured ${dayIn(new Date())}${QUICK ? " (--quick)" : ""} on ${machineLine()}; ${people.toLocaleString("en")} people.`;
  console.log(`\n${stamp}\n\n${table}`);
  if (WRITE) {
    const file = path.join(PROJECT_ROOT, "docs", "benchmarks.md");
    const doc = fs.readFileSync(file, "utf8");
    const begin = "<!-- bench:http results -->";
    const end = "<!-- /bench:http results -->";
    const block = `${begin}\n${stamp}\n\n${table}\n${end}`;
    const a = doc.indexOf(begin);
    const b = doc.indexOf(end);
    fs.writeFileSync(file, a >= 0 && b > a ? doc.slice(0, a) + block + doc.slice(b + end.length) : `${doc.trimEnd()}\n\n${block}\n`);
    console.log("written to docs/benchmarks.md");
  }
} finally {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server!.once("exit", r));
  }
  await db.stop();
}
process.exit(0);
