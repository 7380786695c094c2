/**
 * Finds a Chromium that Playwright can drive without `npx playwright install`
 * (which cannot download browsers on our machines).
 *
 * Order:
 *   1. `CHROMIUM_PATH` (must exist; the value `npm` forces 3.);
 *   2. a system Chromium: /usr/bin/chromium, /usr/bin/chromium-browser (Debian: `apt-get install chromium`);
 *   3. the Chromium shipped inside the npm package `@sparticuz/chromium` (a devDependency), unpacked once
 *      into a versioned directory under the OS temp dir and reused by later runs.
 *
 * Always adds flags that keep a headless run off the (closed) network.
 *
 * Fonts: the npm Chromium links fontconfig statically and reads the system config (/etc/fonts); its
 * FreeType cannot read WOFF/WOFF2, only TTF/OTF. When the optional devDependencies
 * `@fontsource-variable/noto-sans-sc` and `wawoff2` are installed, their WOFF2 files are decoded once to
 * TTF and added through a generated fonts.conf (process.env.FONTCONFIG_FILE, inherited by the browser), so
 * Chinese text renders in screenshots with either Chromium. Without them CJK glyphs show as boxes unless
 * the system has a CJK font (e.g. Debian's fonts-noto-cjk). An existing FONTCONFIG_FILE is left alone.
 *
 * Set CHROMIUM_DEBUG=1 to log which browser was picked.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface ResolvedChromium {
  executablePath: string;
  args: string[];
}

const require = createRequire(import.meta.url);

/** Flags for every headless run here: no background fetches, no update checks, nothing over QUIC. */
const NETWORK_QUIET_ARGS = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-default-apps",
  "--disable-domain-reliability",
  "--no-pings",
  "--disable-dev-shm-usage",
];

const SYSTEM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/**
 * @sparticuz/chromium's args are tuned for AWS Lambda. Drop the ones that would make tests lie
 * (disabled web security / site isolation / mixed-content checks), the ones Playwright manages itself
 * (--headless), and --single-process (one crashing page takes the whole browser down; multi-process
 * works fine on a normal Linux box).
 */
function isUnwantedSparticuzArg(arg: string): boolean {
  const name = arg.split("=", 1)[0];
  return [
    "--single-process",
    "--no-zygote",
    "--headless",
    "--disable-web-security",
    "--allow-running-insecure-content",
    "--disable-site-isolation-trials",
    "--disable-features", // IsolateOrigins,site-per-process,AudioServiceOutOfProcess
    "--enable-features", // SharedArrayBuffer everywhere
  ].includes(name ?? "");
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function log(message: string): void {
  if (process.env.CHROMIUM_DEBUG) console.error(`[chromium] ${message}`);
}

function withCommonArgs(args: string[]): string[] {
  const out = [...args];
  for (const a of NETWORK_QUIET_ARGS) if (!out.includes(a)) out.push(a);
  if (isRoot() && !out.includes("--no-sandbox")) out.push("--no-sandbox");
  return out;
}

function isExecutableFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` at most once across concurrent processes: the first one to create `lockDir` does it and then
 * writes `marker`; the others wait for the marker. A lock older than `staleMs` is taken over.
 */
async function onceAcrossProcesses(lockDir: string, marker: string, work: () => Promise<void>, staleMs = 300_000): Promise<void> {
  const deadline = Date.now() + staleMs * 2;
  for (;;) {
    if (existsSync(marker)) return;
    try {
      mkdirSync(lockDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let age = 0;
      try {
        age = Date.now() - statSync(lockDir).mtimeMs;
      } catch {
        continue; // lock vanished between mkdir and stat: retry now
      }
      if (age > staleMs) rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockDir}`);
      else await sleep(200);
      continue;
    }
    try {
      if (!existsSync(marker)) await work();
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  }
}

function packageDir(name: string): string | undefined {
  try {
    // Resolve the package's main entry and walk up to its package.json (exports may hide package.json).
    let dir = dirname(require.resolve(name));
    while (dir !== dirname(dir)) {
      if (existsSync(join(dir, "package.json"))) {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
        if (pkg.name === name) return dir;
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return undefined;
}

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
}

/** Unpacks @sparticuz/chromium into <tmp>/sparticuz-chromium-<version>/ once; returns the binary path. */
async function sparticuzChromium(): Promise<{ executablePath: string; args: string[]; fontDir: string }> {
  const pkgDir = packageDir("@sparticuz/chromium");
  if (!pkgDir) {
    throw new Error(
      "No Chromium found: set CHROMIUM_PATH, install Debian's chromium (apt-get install -y chromium), " +
        "or install the npm package @sparticuz/chromium (a devDependency of this project: run npm ci).",
    );
  }
  const version = packageVersion(pkgDir);
  const cacheDir = join(tmpdir(), `sparticuz-chromium-${version}`);
  const marker = join(cacheDir, ".complete");
  const { default: Sparticuz } = (await import("@sparticuz/chromium")) as typeof import("@sparticuz/chromium");

  if (!existsSync(marker)) {
    const lockDir = `${cacheDir}.lock`;
    await onceAcrossProcesses(lockDir, marker, async () => {
      const started = Date.now();
      rmSync(cacheDir, { recursive: true, force: true }); // leftovers of an interrupted unpack
      mkdirSync(cacheDir, { recursive: true });
      // @sparticuz/chromium unpacks into os.tmpdir(), read synchronously inside executablePath() before its
      // first await: point TMPDIR at our versioned directory just for that call.
      const savedTmp = process.env.TMPDIR;
      process.env.TMPDIR = cacheDir;
      let pending: Promise<string>;
      try {
        pending = Sparticuz.executablePath();
      } finally {
        if (savedTmp === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = savedTmp;
      }
      const path = await pending;
      if (path !== join(cacheDir, "chromium")) throw new Error(`@sparticuz/chromium unpacked to unexpected ${path}`);
      writeFileSync(marker, `${version}\n`);
      log(`unpacked @sparticuz/chromium ${version} to ${cacheDir} in ${Date.now() - started} ms`);
    });
  }

  const executablePath = join(cacheDir, "chromium");
  if (!isExecutableFile(executablePath)) {
    rmSync(marker, { force: true });
    throw new Error(`${executablePath} is missing; removed ${marker}, run again to unpack it anew`);
  }
  const args = Sparticuz.args.filter((a) => !isUnwantedSparticuzArg(a));
  return { executablePath, args, fontDir: join(cacheDir, "fonts", "fonts") };
}

/**
 * Decodes the optional npm CJK font (WOFF2) to TTF once. Returns the directory, or undefined when the
 * optional packages are not installed.
 */
async function cjkFontDir(): Promise<string | undefined> {
  const fontPkg = "@fontsource-variable/noto-sans-sc";
  const fontPkgDir = packageDir(fontPkg);
  const decoderDir = packageDir("wawoff2");
  if (!fontPkgDir || !decoderDir) return undefined;
  const outDir = join(tmpdir(), `e2e-fonts-noto-sans-sc-${packageVersion(fontPkgDir)}`);
  const marker = join(outDir, ".complete");
  if (existsSync(marker)) return outDir;
  await onceAcrossProcesses(`${outDir}.lock`, marker, async () => {
    const started = Date.now();
    const decoderName = "wawoff2"; // kept in a variable: optional dependency, no types needed
    const decoder = require(decoderName) as { decompress(input: Uint8Array): Promise<Uint8Array> };
    const tmp = `${outDir}.partial`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const srcDir = join(fontPkgDir, "files");
    for (const file of readdirSync(srcDir)) {
      if (!file.endsWith(".woff2")) continue;
      const ttf = await decoder.decompress(readFileSync(join(srcDir, file)));
      writeFileSync(join(tmp, file.replace(/\.woff2$/, ".ttf")), ttf);
    }
    writeFileSync(join(tmp, ".complete"), "ok\n");
    rmSync(outDir, { recursive: true, force: true });
    renameSync(tmp, outDir);
    log(`decoded ${fontPkg} to ${outDir} in ${Date.now() - started} ms`);
  });
  return outDir;
}

/** Points fontconfig (via FONTCONFIG_FILE) at the system config plus `extraDirs`. */
function applyFontDirs(extraDirs: string[]): void {
  if (process.env.FONTCONFIG_FILE || process.env.FONTCONFIG_PATH) {
    log("FONTCONFIG_FILE/FONTCONFIG_PATH already set: fonts left as configured");
    return;
  }
  const dirs = extraDirs.filter((d) => existsSync(d));
  if (dirs.length === 0) return;
  const base = join(tmpdir(), "e2e-fontconfig");
  mkdirSync(join(base, "cache"), { recursive: true });
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const xml = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    "<fontconfig>",
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ...dirs.map((d) => `  <dir>${esc(d)}</dir>`),
    `  <cachedir>${esc(join(base, "cache"))}</cachedir>`,
    "</fontconfig>",
    "",
  ].join("\n");
  // One file per distinct content, written atomically: concurrent processes never read a half-written file.
  const file = join(base, `fonts-${createHash("sha256").update(xml).digest("hex").slice(0, 16)}.conf`);
  if (!existsSync(file) || readFileSync(file, "utf8") !== xml) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, xml);
    renameSync(tmp, file);
  }
  process.env.FONTCONFIG_FILE = file;
  log(`FONTCONFIG_FILE=${file} (${dirs.join(", ")})`);
}

async function resolveUncached(): Promise<ResolvedChromium> {
  const fromEnv = process.env.CHROMIUM_PATH?.trim();
  let extraFontDirs: string[] = [];
  let resolved: ResolvedChromium;

  if (fromEnv === "npm") {
    // CHROMIUM_PATH=npm: skip system browsers and use the npm-shipped one.
    const sp = await sparticuzChromium();
    resolved = { executablePath: sp.executablePath, args: sp.args };
    extraFontDirs = [sp.fontDir];
    log(`using @sparticuz/chromium ${sp.executablePath} (CHROMIUM_PATH=npm)`);
  } else if (fromEnv) {
    if (!isExecutableFile(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    resolved = { executablePath: fromEnv, args: [] };
    log(`using CHROMIUM_PATH ${fromEnv}`);
  } else {
    const system = SYSTEM_CANDIDATES.find(isExecutableFile);
    if (system) {
      resolved = { executablePath: system, args: [] };
      log(`using system ${system}`);
    } else {
      const sp = await sparticuzChromium();
      resolved = { executablePath: sp.executablePath, args: sp.args };
      extraFontDirs = [sp.fontDir];
      log(`using @sparticuz/chromium ${sp.executablePath}`);
    }
  }

  const cjk = await cjkFontDir();
  if (cjk) extraFontDirs.push(cjk);
  if (extraFontDirs.length > 0) applyFontDirs(extraFontDirs);

  return { executablePath: resolved.executablePath, args: withCommonArgs(resolved.args) };
}

let cached: Promise<ResolvedChromium> | undefined;

/** Resolves (and on first use unpacks) a Chromium for Playwright's `launchOptions`. Memoised per process. */
export async function resolveChromium(): Promise<ResolvedChromium> {
  cached ??= resolveUncached().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  const r = await cached;
  return { executablePath: r.executablePath, args: [...r.args] };
}
