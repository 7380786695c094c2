"use client";

import { useEffect, useRef } from "react";

// One EventSource per browser tab (/api/events), shared by every component that wants live updates:
// the notification bell, the vault prompt, an operator waiting for approval.
type Handler = (data: unknown) => void;

const handlers = new Map<string, Set<Handler>>();
let source: EventSource | null = null;

function ensureSource(): void {
  if (source || typeof window === "undefined") return;
  source = new EventSource("/api/events");
  for (const name of handlers.keys()) attach(name);
}

const attached = new Set<string>();
function attach(name: string): void {
  if (!source || attached.has(name)) return;
  attached.add(name);
  source.addEventListener(name, (e) => {
    let data: unknown = null;
    try {
      data = JSON.parse((e as MessageEvent<string>).data);
    } catch {
      return;
    }
    if (name === "signed-out") {
      source?.close();
    }
    for (const h of [...(handlers.get(name) ?? [])]) h(data);
  });
}

export function subscribeLive(name: string, handler: Handler): () => void {
  let set = handlers.get(name);
  if (!set) handlers.set(name, (set = new Set()));
  set.add(handler);
  ensureSource();
  attach(name);
  return () => {
    set.delete(handler);
  };
}

/** Calls `handler` with each server-pushed event of this name while the component is mounted. */
export function useLiveEvent<T>(name: string, handler: (data: T) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => subscribeLive(name, (d) => ref.current(d as T)), [name]);
}
