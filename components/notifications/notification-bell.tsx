"use client";

import Link from "next/link";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { useLiveEvent } from "@/components/shell/live-events";

/** The bell in the header with the unread count, kept current by server push. */
export function NotificationBell({ initialCount, cap }: { initialCount: number; cap: number }) {
  const t = useTranslations("notifications.bell");
  const [count, setCount] = useState(initialCount);
  useLiveEvent<{ count: number }>("unread", (d) => setCount(d.count));
  return (
    <Link
      href="/notifications"
      aria-label={t("label", { count })}
      data-testid="notification-bell"
      className="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100"
    >
      <svg aria-hidden viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      {count > 0 ? (
        <span
          data-testid="notification-count"
          className="absolute -top-1 -right-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold text-white"
        >
          {count >= cap ? t("many") : count}
        </span>
      ) : null}
    </Link>
  );
}
