"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * A <details> whose content is rendered only once it is first opened (issue 13 §2: a page carries
 * its purpose, not every form it could show). The server sends the content's client components as
 * their props only; their markup (a form's fields, a <select>'s options) is built in the browser
 * when someone opens the summary, then kept, so a half-filled form survives closing it. If the
 * summary was clicked before the page hydrated, the element is already open on mount.
 */
export function LazyDetails({
  summary,
  className,
  summaryClassName,
  children,
}: {
  summary: ReactNode;
  className?: string;
  summaryClassName?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (ref.current?.open) setOpened(true);
  }, []);
  return (
    <details ref={ref} className={className} onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <summary className={summaryClassName}>{summary}</summary>
      {opened ? children : null}
    </details>
  );
}
