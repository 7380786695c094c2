import os from "node:os";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { EVENTS_CHANNEL, type PortalEventType } from "./publish";

export type HubEvent = { type: PortalEventType | "resync"; topic: string; data: Record<string, string | number | null> };
type Listener = (event: HubEvent) => void;

/** This process, as named in push_connection rows. */
export const PROCESS_ID = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

/**
 * One LISTEN connection per server process, fanning events out to this process's subscribers by topic.
 * Connected on the first subscription and kept; when it drops it reconnects with backoff and tells every
 * subscriber to resync ("resync"), since events sent meanwhile were lost.
 */
class EventHub {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private retryMs = 1000;

  subscribe(topics: string[], listener: Listener): () => void {
    for (const topic of topics) {
      let set = this.listeners.get(topic);
      if (!set) this.listeners.set(topic, (set = new Set()));
      set.add(listener);
    }
    void this.ready().catch(() => {});
    return () => {
      for (const topic of topics) {
        const set = this.listeners.get(topic);
        set?.delete(listener);
        if (set && set.size === 0) this.listeners.delete(topic);
      }
    };
  }

  /** Resolves once LISTEN is active (subscribers that must not miss an event await it before reading state). */
  ready(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Stops listening (tests, shutdown). */
  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.listeners.clear();
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: env().DATABASE_URL, application_name: "portal-events" });
    client.on("notification", (msg) => this.dispatch(msg.payload));
    const dropped = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      if (err) log.warn({ err }, "event listener connection lost; reconnecting");
      client.end().catch(() => {});
      this.broadcast({ type: "resync", topic: "*", data: {} });
      setTimeout(() => {
        if (this.listeners.size) void this.ready().catch(() => {});
      }, this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    };
    client.on("error", dropped);
    client.on("end", () => dropped());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      client.end().catch(() => {});
      log.warn({ err }, "could not LISTEN for portal events");
      setTimeout(() => {
        if (this.listeners.size) void this.ready().catch(() => {});
      }, this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
      throw err;
    }
    this.client = client;
    this.retryMs = 1000;
  }

  private dispatch(payload: string | undefined): void {
    if (!payload) return;
    let parsed: { type?: PortalEventType; topics?: string[]; data?: Record<string, string | number | null> };
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (!parsed.type || !Array.isArray(parsed.topics)) return;
    for (const topic of parsed.topics) {
      const set = this.listeners.get(topic);
      if (!set) continue;
      for (const listener of [...set]) this.call(listener, { type: parsed.type, topic, data: parsed.data ?? {} });
    }
  }

  private broadcast(event: HubEvent): void {
    const all = new Set<Listener>();
    for (const set of this.listeners.values()) for (const l of set) all.add(l);
    for (const listener of all) this.call(listener, event);
  }

  private call(listener: Listener, event: HubEvent): void {
    try {
      listener(event);
    } catch (err) {
      log.error({ err }, "portal event listener failed");
    }
  }
}

const globalForHub = globalThis as unknown as { portalEventHub?: EventHub };

// One per process, also when the bundler loads this module more than once.
export function eventHub(): EventHub {
  globalForHub.portalEventHub ??= new EventHub();
  return globalForHub.portalEventHub;
}
