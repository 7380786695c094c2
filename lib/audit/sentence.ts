import { createTranslator } from "next-intl";
import type { AuditAction } from "./events";

// Every audit event as one sentence in the reader's language (issue 9 §5): "张三 (E0001) ended 3
// grants of 李四 (E0102) (person left)". The message is audit.sentences.<action>; its placeholders are
// filled from the event (actor, target, reason) and its summary's facts, with the ids it names
// resolved to names by lib/audit/names.ts. A message whose facts are not all there never shows
// "{x}" or "undefined": the event falls back to audit.sentencesShort.<action> when one exists, then
// to "<actor>: <action label> (<target>)".

export type SentenceEvent = {
  action: string;
  actorName: string;
  targetType: string | null;
  targetId: string | null;
  summary: unknown;
  reason: string | null;
  basis?: string | null;
};

/** Display names of the ids an event names (people, systems, roles, org units, vendors, accounts). */
export type AuditNames = ReadonlyMap<string, string>;

type Messages = Parameters<typeof createTranslator>[0]["messages"];
type Values = Record<string, string | number>;

const MAX_TEXT = 60;
const MAX_ACTOR = 40;

const clip = (text: string, max = MAX_TEXT) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The ids of people in a summary, first found first: who an event is about. */
const PERSON_KEYS = ["personId", "subjectId", "operatorId"] as const;
const SYSTEM_KEYS = ["systemId"] as const;
const ROLE_KEYS = ["roleId"] as const;

/** Every id an event's sentence may name, for one batched look-up per page (lib/audit/names.ts). */
export function namedIds(event: Pick<SentenceEvent, "targetId" | "summary">): string[] {
  const s = record(event.summary);
  const ids = new Set<string>();
  if (event.targetId) ids.add(event.targetId);
  for (const part of [s, record(s.before), record(s.after)])
    for (const key of [
      ...PERSON_KEYS,
      ...SYSTEM_KEYS,
      ...ROLE_KEYS,
      "orgUnitId",
      "ownerOrgId",
      "parentId",
      "headId",
      "vendorId",
      "reviewerId",
      "approverId",
      "slaveAccountId",
    ]) {
      const v = str(part[key]);
      if (v) ids.add(v);
    }
  return [...ids];
}

function firstName(names: AuditNames, parts: Record<string, unknown>[], keys: readonly string[]): string | undefined {
  for (const part of parts)
    for (const key of keys) {
      const id = str(part[key]);
      if (id) return names.get(id) ?? undefined;
    }
  return undefined;
}

type Lookup = (key: string) => string | undefined;

/**
 * The placeholder values of an event's sentence: only facts that are there (a missing one makes the
 * full sentence fall back). `word` translates codes (statuses, causes, decisions) when it knows them.
 */
export function sentenceValues(event: SentenceEvent, names: AuditNames, word: Lookup): Values {
  const s = record(event.summary);
  const before = record(s.before);
  const after = record(s.after);
  const parts = [s, after, before];
  const values: Values = { actor: clip(event.actorName, MAX_ACTOR) };
  // Plain facts of the summary (counts, file names, formats, numbers...), as written.
  for (const [key, value] of Object.entries(s)) {
    if (typeof value === "number" && Number.isFinite(value)) values[key] = value;
    else if (typeof value === "string" && value.trim() !== "") values[key] = clip(value);
  }
  const items = num(record(s.items).count);
  const count = num(s.count) ?? items;
  if (count !== undefined) values.count = count;
  const targetName = event.targetId ? names.get(event.targetId) : undefined;
  const target =
    targetName ??
    str(s.name) ??
    str(after.name) ??
    str(before.name) ??
    str(s.number) ??
    str(s.campaign) ??
    str(s.loginName) ??
    str(s.code) ??
    str(after.code) ??
    str(before.code);
  if (target) values.target = clip(target);
  const person =
    (event.targetType === "person" ? targetName : undefined) ??
    firstName(names, parts, PERSON_KEYS) ??
    str(after.employeeNo) ??
    str(s.employeeNo);
  if (person) values.person = clip(person);
  const system = (event.targetType === "system" ? targetName : undefined) ?? firstName(names, parts, SYSTEM_KEYS);
  if (system) values.system = clip(system);
  const role = (event.targetType === "job-role" ? targetName : undefined) ?? firstName(names, parts, ROLE_KEYS) ?? str(s.role);
  if (role) values.role = clip(role);
  const reviewer = firstName(names, [s], ["reviewerId"]);
  if (reviewer) values.reviewer = clip(reviewer);
  const approver = firstName(names, [s], ["approverId"]);
  if (approver) values.approver = clip(approver);
  const orgUnit = firstName(names, parts, ["orgUnitId", "ownerOrgId"]);
  if (orgUnit) values.orgUnit = clip(orgUnit);
  const parent = firstName(names, [after], ["parentId"]);
  if (parent) values.parent = clip(parent);
  const head = firstName(names, [after], ["headId"]);
  if (head) values.head = clip(head);
  const delegator = str(record(after.delegator).name) ?? str(record(before.delegator).name);
  const delegate = str(record(after.delegate).name) ?? str(record(before.delegate).name);
  if (delegator) values.delegator = clip(delegator);
  if (delegate) values.delegate = clip(delegate);
  const employeeNo = str(s.employeeNo) ?? str(after.employeeNo);
  if (employeeNo) values.employeeNo = employeeNo;
  if (event.reason) values.reason = clip(event.reason);
  const cause = str(s.cause);
  if (cause) values.cause = word(`causes.${cause}`) ?? cause;
  const from = str(before.status) ?? str(before.state);
  const to = str(after.status) ?? str(after.state);
  if (from) values.from = word(`values.${from}`) ?? from;
  if (to) values.to = word(`values.${to}`) ?? to;
  const decision = str(s.decision);
  if (decision) values.decision = word(`decisions.${decision}`) ?? decision;
  const field = str(s.field);
  if (field) values.field = word(`fields.${field}`) ?? field;
  const format = str(s.format);
  if (format) values.format = format.toUpperCase();
  const newName = str(after.name);
  if (newName) values.newName = clip(newName);
  const oldName = str(before.name);
  if (oldName) values.oldName = clip(oldName);
  const portalRole = str(after.role) ?? str(before.role);
  if (portalRole) values.portalRole = word(`values.${portalRole}`) ?? portalRole;
  const description = str(after.description);
  if (description) values.description = clip(description);
  for (const list of ["added", "removed", "changed"] as const) if (Array.isArray(s[list])) values[list] = (s[list] as unknown[]).length;
  return values;
}

/**
 * A function that writes events as sentences in one language. One translator for many events (the
 * list page's 25, an export's million): a missing placeholder is noticed through onError, so the
 * sentence falls back instead of showing the message key.
 */
export function auditSentencer(locale: string, messages: Messages): (event: SentenceEvent, names?: AuditNames) => string {
  let failed = false;
  const t = createTranslator({
    locale,
    messages,
    namespace: "audit",
    onError: () => {
      failed = true;
    },
    getMessageFallback: () => "",
  }) as unknown as { (key: string, values?: Values): string; has(key: string): boolean };
  const word: Lookup = (key) => (t.has(key) ? t(key) : undefined);
  const attempt = (key: string, values: Values): string | null => {
    if (!t.has(key)) return null;
    failed = false;
    const text = t(key, values);
    return failed || !text ? null : text;
  };
  return (event, names = new Map()) => {
    const values = sentenceValues(event, names, word);
    const action = event.action as AuditAction;
    const label = word(`actions.${action}`) ?? event.action;
    return (
      attempt(`sentences.${action}`, values) ??
      attempt(`sentencesShort.${action}`, values) ??
      attempt(values.target ? "sentenceFallbackTarget" : "sentenceFallback", { ...values, action: label }) ??
      `${values.actor}: ${label}`
    );
  };
}
