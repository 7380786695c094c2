"use client";

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import type { LookupItem, LookupPage } from "@/lib/http/lookup";

export type ComboOption = { id: string; label: string };

type Props = {
  /** The form field that carries the chosen id (a hidden input; empty when nothing is chosen). */
  name: string;
  /** The text input's id, for an outside <label htmlFor>. */
  id: string;
  /** A lookup route answering LookupPage JSON for ?q=&cursor= (and ?parent= when `tree`). */
  source: string;
  initial?: ComboOption | null;
  placeholder?: string;
  className?: string;
  invalid?: boolean;
  describedBy?: string;
  /** Offer a tree browser that loads a unit's children when it is expanded (org units). */
  tree?: boolean;
  onChange?: (option: ComboOption | null) => void;
  "data-testid"?: string;
};

async function fetchPage(source: string, params: Record<string, string | undefined>, signal?: AbortSignal): Promise<LookupPage> {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v) as [string, string][]);
  const res = await fetch(`${source}?${qs}`, { signal, headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(String(res.status));
  return (await res.json()) as LookupPage;
}

/**
 * A typeahead picker for sets that grow with the estate (WAI-ARIA combobox with a listbox popup): each
 * keystroke asks `source` for at most 20 matches, "more" pages on with the keyset cursor. Arrow keys
 * move through the matches (aria-activedescendant), Enter chooses, Escape closes and puts back the
 * chosen label; clearing the text clears the choice.
 */
export function Combobox({ name, id, source, initial, placeholder, className, invalid, describedBy, tree, onChange, ...rest }: Props) {
  const t = useTranslations("combobox");
  const listId = useId();
  const [chosen, setChosen] = useState<ComboOption | null>(initial ?? null);
  const [text, setText] = useState(initial?.label ?? "");
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<LookupItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState<"idle" | "loading" | "error">("idle");
  const [browsing, setBrowsing] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastQuery = useRef("");

  const load = useCallback(
    (q: string, after?: string) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setStatus("loading");
      lastQuery.current = q;
      fetchPage(source, { q: q || undefined, cursor: after }, controller.signal)
        .then((page) => {
          setItems((prev) => (after ? [...prev, ...page.items] : page.items));
          setCursor(page.nextCursor);
          if (!after) setActive(page.items.length ? 0 : -1);
          setStatus("idle");
        })
        .catch((e: unknown) => {
          if ((e as { name?: string }).name !== "AbortError") setStatus("error");
        });
    },
    [source],
  );

  useEffect(
    () => () => {
      abort.current?.abort();
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const choose = (option: ComboOption | null) => {
    setChosen(option);
    setText(option?.label ?? "");
    setOpen(false);
    setBrowsing(false);
    onChange?.(option);
  };

  const onType = (value: string) => {
    setText(value);
    setOpen(true);
    if (!value.trim() && chosen) {
      setChosen(null);
      onChange?.(null);
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => load(value.trim()), 150);
  };

  const openList = () => {
    setOpen(true);
    if (!items.length || lastQuery.current !== (chosen ? "" : text.trim())) load(chosen ? "" : text.trim());
  };

  const close = () => {
    setOpen(false);
    setText(chosen?.label ?? "");
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!open) return openList();
      setActive((i) => Math.min(i + 1, items.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === "Home" && open && items.length) {
      e.preventDefault();
      setActive(0);
    } else if (e.key === "End" && open && items.length) {
      e.preventDefault();
      setActive(items.length - 1);
    } else if (e.key === "Enter") {
      if (open && active >= 0 && items[active]) {
        // Enter picks; it must not submit the surrounding form.
        e.preventDefault();
        choose(items[active]);
      }
    } else if (e.key === "Escape") {
      if (open) {
        e.preventDefault();
        close();
      }
    }
  };

  const activeId = open && active >= 0 && items[active] ? `${listId}-${active}` : undefined;
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: "nearest" });
  }, [activeId]);

  return (
    <div className="relative" data-testid={rest["data-testid"]}>
      <input type="hidden" name={name} value={chosen?.id ?? ""} />
      <div className="flex gap-1">
        <input
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          value={text}
          placeholder={placeholder ?? t("placeholder")}
          className={className}
          onChange={(e) => onType(e.target.value)}
          onKeyDown={onKeyDown}
          onFocus={(e) => e.target.select()}
          onBlur={() => close()}
          onClick={openList}
        />
        {tree ? (
          <button
            type="button"
            className="rounded-md border border-slate-300 bg-white px-2 text-xs text-slate-700 hover:bg-slate-50"
            aria-expanded={browsing}
            onClick={() => setBrowsing((b) => !b)}
          >
            {t("browse")}
          </button>
        ) : null}
      </div>
      <ul
        id={listId}
        role="listbox"
        aria-label={t("matches")}
        hidden={!open}
        className="absolute z-20 mt-1 max-h-72 w-full min-w-64 overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
      >
        {items.map((item, i) => (
          <li
            key={item.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={`cursor-pointer px-3 py-1.5 ${i === active ? "bg-brand-50 text-brand-800" : "text-slate-800"}`}
            // mousedown, not click: the input's blur would close the list first.
            onMouseDown={(e) => {
              e.preventDefault();
              choose(item);
            }}
            onMouseEnter={() => setActive(i)}
          >
            <span>{item.label}</span>
            {item.hint ? <span className="ml-2 text-xs text-slate-500">{item.hint}</span> : null}
          </li>
        ))}
        {cursor ? (
          <li role="presentation" className="px-3 py-1">
            <button
              type="button"
              tabIndex={-1}
              className="text-xs font-medium text-brand-700 hover:underline"
              onMouseDown={(e) => {
                e.preventDefault();
                load(lastQuery.current, cursor);
              }}
            >
              {t("more")}
            </button>
          </li>
        ) : null}
        {status === "idle" && !items.length ? (
          <li role="presentation" className="px-3 py-1.5 text-slate-500">
            {t("noMatches")}
          </li>
        ) : null}
      </ul>
      <p className="sr-only" aria-live="polite">
        {open ? (status === "loading" ? t("loading") : status === "error" ? t("error") : t("count", { count: items.length })) : ""}
      </p>
      {browsing ? <TreePicker source={source} onPick={choose} onClose={() => setBrowsing(false)} /> : null}
    </div>
  );
}

type Node = LookupItem & { depth: number; expanded?: boolean; loading?: boolean; parent?: string; more?: string | null };

/**
 * Browse the org tree (WAI-ARIA tree): the top level first, a unit's children fetched when it is
 * expanded (Right arrow or the toggle), 20 at a time. Up/Down move, Left collapses or goes to the
 * parent, Enter chooses, Escape closes.
 */
export function TreePicker({ source, onPick, onClose }: { source: string; onPick: (o: ComboOption) => void; onClose: () => void }) {
  const t = useTranslations("combobox");
  const treeId = useId();
  const [nodes, setNodes] = useState<Node[]>([]);
  const [more, setMore] = useState<string | null>(null);
  const [focus, setFocus] = useState(0);
  const [failed, setFailed] = useState(false);
  const ref = useRef<HTMLUListElement>(null);

  useEffect(() => {
    let live = true;
    fetchPage(source, {})
      .then((page) => {
        if (!live) return;
        setNodes(page.items.map((i) => ({ ...i, depth: 0 })));
        setMore(page.nextCursor);
        ref.current?.focus();
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [source]);

  const visible = nodes.filter((n) => {
    // A node shows when every ancestor is expanded.
    let p = n.parent;
    while (p) {
      const parent = nodes.find((x) => x.id === p);
      if (!parent?.expanded) return false;
      p = parent.parent;
    }
    return true;
  });

  const expand = async (node: Node, after?: string) => {
    if (!node.hasChildren) return;
    if (!after && nodes.some((n) => n.parent === node.id)) {
      setNodes((all) => all.map((n) => (n.id === node.id ? { ...n, expanded: true } : n)));
      return;
    }
    setNodes((all) => all.map((n) => (n.id === node.id ? { ...n, loading: true } : n)));
    try {
      const page = await fetchPage(source, { parent: node.id, cursor: after });
      setNodes((all) => {
        const at = all.findIndex((n) => n.id === node.id);
        // After the node's last loaded descendant: its subtree ends at the next node of no greater depth.
        let end = at + 1;
        while (end < all.length && all[end]!.depth > node.depth) end++;
        const children = page.items.map((i) => ({ ...i, depth: node.depth + 1, parent: node.id }));
        const updated = { ...all[at]!, expanded: true, loading: false, more: page.nextCursor };
        return [...all.slice(0, at), updated, ...all.slice(at + 1, end), ...children, ...all.slice(end)];
      });
    } catch {
      setFailed(true);
      setNodes((all) => all.map((n) => (n.id === node.id ? { ...n, loading: false } : n)));
    }
  };

  const collapse = (node: Node) => setNodes((all) => all.map((n) => (n.id === node.id ? { ...n, expanded: false } : n)));

  const loadMoreTop = async () => {
    if (!more) return;
    const page = await fetchPage(source, { cursor: more });
    setNodes((all) => [...all, ...page.items.map((i) => ({ ...i, depth: 0 }))]);
    setMore(page.nextCursor);
  };

  const current = visible[focus];
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    if (!current) return;
    if (e.key === "ArrowDown") setFocus((f) => Math.min(f + 1, visible.length - 1));
    else if (e.key === "ArrowUp") setFocus((f) => Math.max(f - 1, 0));
    else if (e.key === "ArrowRight") {
      if (current.hasChildren && !current.expanded) void expand(current);
      else if (current.expanded) setFocus((f) => Math.min(f + 1, visible.length - 1));
    } else if (e.key === "ArrowLeft") {
      if (current.expanded) collapse(current);
      else if (current.parent) setFocus(visible.findIndex((n) => n.id === current.parent));
    } else if (e.key === "Enter" || e.key === " ") onPick(current);
    else if (e.key === "Escape") onClose();
    else return;
    e.preventDefault();
  };

  const activeId = current ? `${treeId}-${current.id}` : undefined;
  return (
    <div className="absolute z-20 mt-1 max-h-80 w-full min-w-72 overflow-auto rounded-md border border-slate-200 bg-white p-2 text-sm shadow-lg">
      {failed ? (
        <p role="alert" className="text-xs text-red-600">
          {t("error")}
        </p>
      ) : null}
      <ul
        ref={ref}
        role="tree"
        aria-label={t("tree")}
        tabIndex={0}
        aria-activedescendant={activeId}
        onKeyDown={onKeyDown}
        className="outline-none"
      >
        {visible.map((n, i) => (
          <li
            key={n.id}
            id={`${treeId}-${n.id}`}
            role="treeitem"
            aria-level={n.depth + 1}
            aria-expanded={n.hasChildren ? !!n.expanded : undefined}
            aria-selected={i === focus}
            className={`flex items-center gap-1 rounded py-0.5 ${i === focus ? "bg-brand-50" : ""}`}
            style={{ paddingLeft: `${n.depth * 1.25}rem` }}
          >
            <button
              type="button"
              tabIndex={-1}
              aria-hidden="true"
              className="w-5 text-slate-500"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setFocus(i);
                if (n.hasChildren) void (n.expanded ? collapse(n) : expand(n));
              }}
            >
              {n.hasChildren ? (n.loading ? "…" : n.expanded ? "▾" : "▸") : ""}
            </button>
            <button
              type="button"
              tabIndex={-1}
              className="text-left text-slate-800 hover:underline"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(n)}
            >
              {n.label}
            </button>
            {n.expanded && n.more ? (
              <button type="button" tabIndex={-1} className="ml-2 text-xs text-brand-700" onClick={() => void expand(n, n.more!)}>
                {t("more")}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {more ? (
        <button type="button" className="mt-1 text-xs font-medium text-brand-700" onClick={() => void loadMoreTop()}>
          {t("more")}
        </button>
      ) : null}
    </div>
  );
}

/** A labelled picker for a form (the Combobox with a label, an error and a hint, like TextField). */
export function PickerField({
  label,
  name,
  error,
  hint,
  ...props
}: Omit<Props, "id" | "invalid" | "describedBy" | "className"> & { label: ReactNode; error?: string; hint?: ReactNode }) {
  const inputId = `${useId()}-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <Combobox
        {...props}
        name={name}
        id={inputId}
        invalid={!!error}
        describedBy={error ? `${inputId}-error` : hint ? `${inputId}-hint` : undefined}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-600 aria-[invalid=true]:border-red-500"
      />
      {hint && !error ? (
        <p id={`${inputId}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${inputId}-error`} role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
