// A real SCIM 2.0 service provider on loopback for tests and the demo (issue 11: "tests talk to a real SCIM
// server"): SCIMMY parses, filters and patches; scimmy-routers serves RFC 7644 over express; the users live in
// memory. Faults can be injected: answers with an error status, slow answers, a response lost after the
// change was made (the portal retries and gets 409), and direct edits of the store (drift).
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

export type PeerUser = {
  id: string;
  userName: string;
  externalId?: string;
  displayName?: string;
  active?: boolean;
  roles?: { value: string }[];
  entitlements?: { value: string }[];
  meta?: { created: Date; lastModified: Date };
};

type Fault = { status: number; remaining: number } | { lose: number } | { delayMs: number; remaining: number } | { emptyLists: number };

export class ScimPeer {
  readonly users = new Map<string, PeerUser>();
  readonly requests: { method: string; path: string; status: number }[] = [];
  private faults: Fault[] = [];
  private server: Server | null = null;
  baseUrl = "";

  constructor(readonly token = `peer-${randomUUID()}`) {}

  /** The next `count` requests answer `status` without touching the store. */
  failNext(count: number, status = 503): void {
    this.faults.push({ status, remaining: count });
  }
  /** The `nth` request from now (1 = the next) is carried out, but its response never arrives (the connection is cut). */
  loseResponse(nth = 1): void {
    this.faults.push({ lose: nth });
  }
  /** The next `count` list queries (GET /Users?filter=…) answer an empty list, as a lagging index would. */
  emptyListsNext(count: number): void {
    this.faults.push({ emptyLists: count });
  }
  clearFaults(): void {
    this.faults = [];
  }
  /** The next `count` requests wait `delayMs` before they are handled. */
  slowNext(count: number, delayMs: number): void {
    this.faults.push({ delayMs, remaining: count });
  }
  byUserName(userName: string): PeerUser | undefined {
    return [...this.users.values()].find((u) => u.userName === userName);
  }

  async start(): Promise<string> {
    declare(this);
    const app = express();
    app.use((req, res, next) => {
      res.on("finish", () => this.requests.push({ method: req.method, path: req.path, status: res.statusCode }));
      const fault = this.faults[0];
      if (!fault) return next();
      if ("status" in fault) {
        if (--fault.remaining <= 0) this.faults.shift();
        res
          .status(fault.status)
          .json({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(fault.status), detail: "injected fault" });
        return;
      }
      if ("emptyLists" in fault) {
        if (req.method !== "GET" || !req.query.filter) return next();
        if (--fault.emptyLists <= 0) this.faults.shift();
        res.status(200).json({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, Resources: [] });
        return;
      }
      if ("lose" in fault) {
        if (--fault.lose > 0) return next();
        this.faults.shift();
        // Let the change happen, then cut the connection instead of answering.
        const socket = req.socket;
        res.end = (() => {
          socket.destroy();
          return res;
        }) as typeof res.end;
        return next();
      }
      if (--fault.remaining <= 0) this.faults.shift();
      setTimeout(next, fault.delayMs);
    });
    app.use(
      "/scim/v2",
      new SCIMMYRouters({
        type: "bearer",
        handler: (request) => {
          if (request.header("Authorization") !== `Bearer ${this.token}`) throw new Error("Authorization failed");
          return "portal";
        },
      }),
    );
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, "127.0.0.1", () => resolve());
    });
    this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/scim/v2`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

// SCIMMY's resource declarations are process-wide: the handlers serve whichever peer started last.
let current: ScimPeer | null = null;
let declared = false;

function declare(peer: ScimPeer): void {
  current = peer;
  if (declared) return;
  declared = true;
  const store = () => current!.users;
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .ingress((resource, instance) => {
      const users = store();
      const data = instance as unknown as PeerUser;
      const clash = [...users.values()].find((u) => u.userName === data.userName && u.id !== resource.id);
      if (clash) throw new SCIMMY.Types.Error(409, "uniqueness", `userName ${data.userName} is already taken`);
      const now = new Date();
      if (resource.id) {
        const existing = users.get(resource.id);
        if (!existing) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        const updated: PeerUser = { ...data, id: existing.id, meta: { created: existing.meta?.created ?? now, lastModified: now } };
        users.set(existing.id, updated);
        return updated;
      }
      const created: PeerUser = { ...data, id: randomUUID(), meta: { created: now, lastModified: now } };
      users.set(created.id, created);
      return created;
    })
    .egress((resource) => {
      const users = store();
      if (resource.id) {
        const user = users.get(resource.id);
        if (!user) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        return user;
      }
      const all = [...users.values()];
      return resource.filter ? resource.filter.match(all) : all;
    })
    .degress((resource) => {
      if (!store().delete(resource.id!)) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
    });
}
