import Link from "next/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "./language-switcher";
import { SidebarLink } from "./sidebar-link";

type Props = {
  user: { name: string; employeeNo: string; roles: string[] };
  // badge: a count shown beside the item (open approvals).
  nav: { href: string; key: string; badge?: number }[];
  signOut: () => Promise<void>;
  // Beside the language switcher: the notification bell (components/notifications).
  headerExtra?: ReactNode;
  children: ReactNode;
};

export async function PortalShell({ user, nav, signOut, headerExtra, children }: Props) {
  const t = await getTranslations("shell");
  const tRoles = await getTranslations("roles");
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:bg-white focus:p-2">
        {t("skipToContent")}
      </a>
      <header className="flex h-14 items-center justify-between border-b border-slate-200 bg-white px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold text-brand-800">
          {/* eslint-disable-next-line @next/next/no-img-element -- a static SVG from public/, nothing to optimise */}
          <img src="/logo.svg" alt="" aria-hidden width={28} height={28} className="h-7 w-7" />
          <span>{t("product")}</span>
        </Link>
        <div className="flex items-center gap-4">
          {headerExtra}
          <LanguageSwitcher />
          <div className="text-right text-sm leading-tight" data-testid="user-menu">
            <div className="font-medium text-slate-800">{user.name}</div>
            <div className="text-xs text-slate-500">
              {user.employeeNo} · {user.roles.length ? user.roles.map((r) => tRoles(r)).join(" / ") : tRoles("STAFF")}
            </div>
          </div>
          <form action={signOut}>
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
              {t("signOut")}
            </button>
          </form>
        </div>
      </header>
      <div className="flex flex-1">
        <nav aria-label={t("navigation")} className="w-56 shrink-0 border-r border-slate-200 bg-white p-3">
          <ul className="space-y-1" data-testid="sidebar">
            {nav.map((item) => (
              <li key={item.href}>
                <SidebarLink href={item.href}>
                  {t(`nav.${item.key}`)}
                  {item.badge ? (
                    <span
                      className="ml-2 rounded-full bg-brand-600 px-1.5 py-0.5 text-xs font-medium text-white"
                      data-testid={`nav-badge-${item.key}`}
                      aria-label={t("navBadge", { count: item.badge })}
                    >
                      {item.badge > 999 ? "999+" : item.badge}
                    </span>
                  ) : null}
                </SidebarLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="min-w-0 flex-1 p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
