import { randomUUID } from "node:crypto";
import { addDays, dayIn } from "@/lib/time/calendar";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import {
  catalogStanding,
  getRenewableGrant,
  getRequestableRole,
  listRequestableRoles,
  listRequestableSystems,
  mayRequestForOthers,
  previewRequest,
  readRequestSettings,
  resolveSubject,
  type CatalogRole,
} from "@/lib/requests/queries";
import { translateDomainError } from "@/lib/http/action-state";
import { DomainError, isDomainError } from "@/lib/errors";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { LinkButton, buttonClass } from "@/components/ui/button";
import { FilterField, filterControl } from "@/components/ui/filter-field";
import { ClassBadges } from "@/components/requests/badges";
import { RequestForm } from "@/components/requests/request-form";

export async function generateMetadata() {
  const t = await getTranslations("requests.catalog");
  return { title: t("title") };
}

type Params = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const DAY_PRESETS = [7, 30, 90, 180, 365];
const HOUR_PRESETS = [1, 2, 4, 8, 24, 48, 72, 168, 336, 720];

export default async function NewRequestPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const t = await getTranslations("requests.catalog");
  const renewId = one(params.renew);
  const renew = renewId ? await getRenewableGrant(actor, renewId) : null;
  if (renewId && !renew) {
    return (
      <>
        <PageHeader title={t("title")} />
        <EmptyState title={t("renewUnavailable")} action={<LinkButton href="/requests/new">{t("browse")}</LinkButton>} />
      </>
    );
  }
  const roleId = renew?.roleId ?? one(params.role);
  if (!roleId) return <Catalog params={params} />;
  const role = await getRequestableRole(roleId);
  if (!role) notFound();
  return <RequestRole role={role} params={params} renew={renew} actorId={actor.personId} />;
}

async function RoleCard({ role, action }: { role: CatalogRole; action?: React.ReactNode }) {
  const [t, tc, locale] = await Promise.all([getTranslations("requests.catalog"), getTranslations("catalog"), getLocale()]);
  const label = (o: { name: string; nameEn: string | null }) => (locale === "en" && o.nameEn ? o.nameEn : o.name);
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="catalog-role">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h3 className="font-semibold text-slate-900">
            {label(role)} <span className="font-mono text-xs text-slate-500">{role.code}</span>
          </h3>
          <p className="text-xs text-slate-500">{label(role.system)}</p>
        </div>
        <ClassBadges isSensitive={role.isSensitive} isAdministrative={role.isAdministrative} />
      </div>
      {role.description ? <p className="mt-2 text-sm text-slate-700">{role.description}</p> : null}
      <div className="mt-3">
        <p className="text-xs font-medium text-slate-600">{t("permissions", { count: role.permissions.length })}</p>
        <ul className="mt-1 flex flex-wrap gap-1">
          {role.permissions.map((p) => (
            <li key={p.id}>
              <Badge tone={p.isSensitive ? "red" : "neutral"}>
                {label(p)} · {tc(`sensitivities.${p.sensitivity}`)}
              </Badge>
            </li>
          ))}
        </ul>
      </div>
      {action ? <div className="mt-3">{action}</div> : null}
    </article>
  );
}

async function Catalog({ params }: { params: Params }) {
  const actor = await requireActor();
  const t = await getTranslations("requests.catalog");
  const locale = await getLocale();
  const system = one(params.system);
  const q = one(params.q)?.slice(0, 100);
  const [systems, page] = await Promise.all([
    listRequestableSystems(),
    listRequestableRoles(actor, { systemId: system, q, cursor: one(params.cursor) }),
  ]);
  // What the person already holds or has asked for among these roles: renew or follow, not ask twice.
  const [standing, format] = await Promise.all([
    catalogStanding(
      actor.personId,
      page.rows.map((r) => r.id),
    ),
    getFormatter(),
  ]);
  const label = (o: { name: string; nameEn: string | null }) => (locale === "en" && o.nameEn ? o.nameEn : o.name);
  const next = new URLSearchParams(
    Object.entries({ system: system ?? "", q: q ?? "", cursor: page.nextCursor ?? "" }).filter(([, v]) => v),
  );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={<LinkButton href="/requests">{t("myRequests")}</LinkButton>} />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <FilterField id="catalog-system" label={t("system")}>
          <select id="catalog-system" name="system" defaultValue={system ?? ""} className={filterControl}>
            <option value="">{t("allSystems")}</option>
            {systems.map((s) => (
              <option key={s.id} value={s.id}>
                {label(s)} ({s._count.jobRoles})
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id="catalog-q" label={t("search")}>
          <input
            id="catalog-q"
            name="q"
            defaultValue={q}
            maxLength={100}
            className={`${filterControl} w-56`}
            placeholder={t("searchPlaceholder")}
          />
        </FilterField>
        <button type="submit" className={buttonClass("secondary")}>
          {t("apply")}
        </button>
      </form>
      {page.rows.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <div className="grid gap-3 md:grid-cols-2">
          {page.rows.map((role) => {
            const held = standing.held.get(role.id);
            const pending = standing.pending.get(role.id);
            const action = pending ? (
              <p className="text-sm text-slate-700" data-testid={`standing-${role.code}`}>
                {t("pendingRequest")}{" "}
                <Link href={`/requests/${pending.requestId}`} className="font-mono text-brand-700 hover:underline">
                  {pending.number}
                </Link>
              </p>
            ) : held ? (
              <div className="flex flex-wrap items-center gap-3" data-testid={`standing-${role.code}`}>
                <Badge tone="green">
                  {held.endsAt ? t("heldUntil", { date: format.dateTime(held.endsAt, { dateStyle: "medium" }) }) : t("heldPermanently")}
                </Badge>
                {held.endsAt ? <LinkButton href={`/requests/new?renew=${held.grantId}`}>{t("renewHeld")}</LinkButton> : null}
              </div>
            ) : (
              <LinkButton variant="primary" href={`/requests/new?role=${role.id}`} data-testid={`request-role-${role.code}`}>
                {t("request")}
              </LinkButton>
            );
            return <RoleCard key={role.id} role={role} action={action} />;
          })}
        </div>
      )}
      {page.nextCursor ? (
        <div className="mt-4 flex justify-end">
          <LinkButton href={`/requests/new?${next}`}>{t("more")}</LinkButton>
        </div>
      ) : null}
    </>
  );
}

async function RequestRole({
  role,
  params,
  renew,
  actorId,
}: {
  role: CatalogRole;
  params: Params;
  renew: Awaited<ReturnType<typeof getRenewableGrant>>;
  actorId: string;
}) {
  const actor = await requireActor();
  const [t, tf, format, settings] = await Promise.all([
    getTranslations("requests.catalog"),
    getTranslations("requests.form"),
    getFormatter(),
    readRequestSettings(),
  ]);
  const subjectNo = renew?.subjectEmployeeNo ?? one(params.subject)?.trim();
  const [forOthers, subject] = await Promise.all([
    mayRequestForOthers(actor),
    resolveSubject(actor, subjectNo || undefined, role.system.id),
  ]);
  const wantsElevation = one(params.kind) === "ELEVATION";
  const kind =
    wantsElevation && subject && subject !== "forbidden" && subject.employmentType === "THIRD_PARTY" && !renew ? "ELEVATION" : "GRANT";

  let preview: Awaited<ReturnType<typeof previewRequest>> | null = null;
  let blocking: string | null = null;
  if (subject && subject !== "forbidden") {
    try {
      preview = await previewRequest(actor, {
        subjectId: subject.id,
        roleId: role.id,
        justification: "-",
        endsAt: null,
        kind,
        renewsGrantId: renew?.id,
      });
    } catch (error) {
      blocking = isDomainError(error) ? await translateDomainError(error) : null;
      if (!isDomainError(error)) throw error;
    }
  }
  // Duration problems depend on the end chosen below; the form shows the limits instead.
  const DURATION = new Set([
    "REQUEST_PERMANENT_NOT_ALLOWED",
    "REQUEST_TOO_LONG",
    "REQUEST_ELEVATION_TOO_LONG",
    "REQUEST_PAST_CONTRACT_END",
    "DATE_IN_PAST",
  ]);
  const problems = (preview?.problems ?? []).filter(
    (p) => !DURATION.has(p.code) && !(p.code === "REQUEST_RENEWAL_INVALID" && p.field === "endsAt"),
  );
  const messages = await Promise.all(
    problems.map((p) => translateDomainError(new DomainError(p.code, { params: p.params, details: p.details }))),
  );
  const tStages = await getTranslations("requests.stages");

  const now = new Date();
  // Calendar days are the portal's time zone (lib/time/calendar.ts), as the end of a chosen day is.
  const today = dayIn(now);
  const maxDate = dayIn(preview ? preview.latestEnd : now);
  const presets =
    kind === "ELEVATION"
      ? HOUR_PRESETS.filter((h) => now.getTime() + h * 3_600_000 <= (preview?.latestEnd.getTime() ?? 0))
      : DAY_PRESETS.filter((d) => addDays(today, d) <= maxDate);
  const defaultDuration =
    kind === "ELEVATION"
      ? String(presets.includes(8) ? 8 : (presets[presets.length - 1] ?? 1))
      : renew
        ? "date"
        : presets.includes(30)
          ? "30"
          : presets.length
            ? String(presets[presets.length - 1])
            : "date";
  const subjectOk = subject && subject !== "forbidden";
  const isSelf = subjectOk && subject.id === actorId;
  const day = (d: Date) => format.dateTime(d, { dateStyle: "medium" });

  return (
    <>
      <PageHeader
        title={renew ? t("renewTitle") : t("requestTitle")}
        description={renew ? t("renewDescription", { date: renew.endsAt ? day(renew.endsAt) : "—" }) : t("requestDescription")}
        actions={<LinkButton href="/requests/new">{t("browse")}</LinkButton>}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <RoleCard role={role} />
          <Card title={t("forWhom")}>
            {forOthers && !renew ? (
              <form method="get" className="flex flex-wrap items-end gap-2" data-testid="subject-form">
                <input type="hidden" name="role" value={role.id} />
                <FilterField id="subject-no" label={t("subjectEmployeeNo")}>
                  <input
                    id="subject-no"
                    name="subject"
                    defaultValue={subjectNo ?? ""}
                    maxLength={32}
                    placeholder={t("subjectPlaceholder")}
                    className={`${filterControl} w-56`}
                  />
                </FilterField>
                {subjectOk && subject.employmentType === "THIRD_PARTY" ? (
                  <label className="flex items-center gap-1.5 text-sm">
                    <input type="checkbox" name="kind" value="ELEVATION" defaultChecked={kind === "ELEVATION"} />
                    {t("asElevation")}
                  </label>
                ) : null}
                <button type="submit" className={buttonClass("secondary")}>
                  {t("check")}
                </button>
              </form>
            ) : subjectOk && subject.employmentType === "THIRD_PARTY" && !renew ? (
              <form method="get" className="flex items-end gap-2">
                <input type="hidden" name="role" value={role.id} />
                <label className="flex items-center gap-1.5 text-sm">
                  <input type="checkbox" name="kind" value="ELEVATION" defaultChecked={kind === "ELEVATION"} />
                  {t("asElevation")}
                </label>
                <button type="submit" className={buttonClass("secondary")}>
                  {t("check")}
                </button>
              </form>
            ) : null}
            <p className="mt-2 text-sm text-slate-700" data-testid="subject">
              {subject === null
                ? t("subjectUnknown")
                : subject === "forbidden"
                  ? t("subjectForbidden")
                  : isSelf
                    ? t("forYourself", { name: subject.name })
                    : t("forPerson", { name: subject.name, employeeNo: subject.employeeNo })}
              {subjectOk && subject.employmentType === "THIRD_PARTY" ? (
                <>
                  {" "}
                  <Badge tone="amber">
                    {t("thirdParty", { date: subject.contractEndsOn ? subject.contractEndsOn.toISOString().slice(0, 10) : "—" })}
                  </Badge>
                </>
              ) : null}
            </p>
          </Card>
          {subjectOk && preview ? (
            <Card title={t("formTitle")}>
              <RequestForm
                roleId={role.id}
                subjectId={subject.id}
                kind={kind}
                renewsGrantId={renew?.id}
                idempotencyKey={randomUUID()}
                presets={presets}
                allowPermanent={preview.permanentAllowed && !renew}
                minDate={today}
                maxDate={maxDate}
                defaultDuration={defaultDuration}
                disabled={problems.length > 0}
              />
            </Card>
          ) : null}
        </div>
        <Card title={t("precheck")}>
          {blocking ? (
            <p role="alert" className="text-sm text-red-700">
              {blocking}
            </p>
          ) : null}
          {preview ? (
            <div className="space-y-3 text-sm" data-testid="precheck">
              {messages.length ? (
                <ul className="space-y-1" role="alert">
                  {messages.map((m, i) => (
                    <li key={i} className="rounded border border-red-200 bg-red-50 px-2 py-1 text-red-800">
                      {m}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="rounded border border-emerald-200 bg-emerald-50 px-2 py-1 text-emerald-800">{t("precheckOk")}</p>
              )}
              <p>{preview.permanentAllowed ? t("permanentAllowed") : t("timeBound", { date: day(preview.latestEnd) })}</p>
              <div>
                <p className="text-xs font-medium text-slate-600">{t("approvalPath")}</p>
                <ol className="mt-1 list-decimal pl-5">
                  {preview.stages.map((s, i) => (
                    <li key={i}>{tStages(s)}</li>
                  ))}
                </ol>
              </div>
              <p className="text-xs text-slate-500">{tf("expiresHint", { days: settings.expireAfterDays })}</p>
            </div>
          ) : !blocking ? (
            <p className="text-sm text-slate-500">{t("precheckNeedsSubject")}</p>
          ) : null}
          <p className="mt-3 text-xs">
            <Link className="text-brand-700 hover:underline" href="/requests">
              {t("myRequests")}
            </Link>
          </p>
        </Card>
      </div>
    </>
  );
}
