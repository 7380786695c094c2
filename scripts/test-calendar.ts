/**
 * The calendar-sensitive tests at the hours where a day boundary bites (issue 9 §1, decision 0018):
 * 23:30 and 00:30 in the portal's time zone (APP_TIME_ZONE) and 23:30 and 00:30 UTC, each with the wall
 * clock pinned (PORTAL_CLOCK_AT) for the Node processes and the test database's now().
 *
 *   npx tsx scripts/test-calendar.ts                       the four instants around today
 *   npx tsx scripts/test-calendar.ts 2026-12-31T16:30:00Z  only the instants given
 *
 * A test is calendar-sensitive when its name (or a describe around it) contains "[calendar]": only
 * the files that contain the tag are loaded and only the tagged tests run, so the four runs stay small.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { addDays, APP_TIME_ZONE, dayIn, zonedMidnight } from "../lib/time/calendar";
import { isMainModule, PROJECT_ROOT } from "./lib/postgres";

export const CALENDAR_TAG = "[calendar]";
const HOUR_MS = 3_600_000;

/** 23:30 and 00:30 around the end of `now`'s day, in the portal's zone and in UTC. */
export function boundaryInstants(now: Date, timeZone = APP_TIME_ZONE): { label: string; at: string }[] {
  const today = dayIn(now, timeZone);
  const utcToday = now.toISOString().slice(0, 10); // the UTC day on purpose: the UTC boundary
  return [
    { label: `23:30 ${timeZone}`, at: new Date(zonedMidnight(today, timeZone).getTime() + 23.5 * HOUR_MS).toISOString() },
    { label: `00:30 ${timeZone}`, at: new Date(zonedMidnight(addDays(today, 1), timeZone).getTime() + 0.5 * HOUR_MS).toISOString() },
    { label: "23:30 UTC", at: `${utcToday}T23:30:00.000Z` },
    { label: "00:30 UTC", at: `${addDays(utcToday, 1)}T00:30:00.000Z` },
  ];
}

/** The test files that contain the tag, relative to the project root. */
export function calendarTestFiles(root = PROJECT_ROOT): string[] {
  const found: string[] = [];
  for (const dir of ["tests/unit", "tests/integration"]) {
    for (const name of fs.readdirSync(path.join(root, dir)).sort()) {
      if (!name.endsWith(".test.ts")) continue;
      if (fs.readFileSync(path.join(root, dir, name), "utf8").includes(CALENDAR_TAG)) found.push(`${dir}/${name}`);
    }
  }
  return found;
}

if (isMainModule(import.meta.url)) {
  const given = process.argv.slice(2);
  const instants = given.length > 0 ? given.map((at) => ({ label: at, at })) : boundaryInstants(new Date());
  const files = calendarTestFiles();
  if (files.length === 0) {
    console.error(`[calendar] no test contains ${CALENDAR_TAG}`);
    process.exit(1);
  }
  const failed: string[] = [];
  for (const { label, at } of instants) {
    console.log(`\n--- calendar-sensitive tests with the clock at ${at} (${label}) ---`);
    const run = spawnSync(
      "npx",
      [
        "tsx",
        "scripts/with-db.ts",
        "vitest",
        "run",
        "--project",
        "unit",
        "--project",
        "integration",
        "--testNamePattern",
        CALENDAR_TAG.replace(/[[\]]/g, "\\$&"),
        ...files,
      ],
      { stdio: "inherit", cwd: PROJECT_ROOT, env: { ...process.env, PORTAL_CLOCK_AT: at, PORTAL_CLOCK_OFFSET_MS: "" } },
    );
    if (run.status !== 0) failed.push(`${at} (${label})`);
  }
  if (failed.length > 0) console.error(`\n[calendar] failed at: ${failed.join(", ")}`);
  process.exit(failed.length > 0 ? 1 : 0);
}
