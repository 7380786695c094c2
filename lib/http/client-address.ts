import { BlockList, isIP } from "node:net";

/**
 * The socket's address, set by the portal's HTTP server (scripts/serve.ts) on every request; whatever a
 * client sends under this name is overwritten there. Next.js itself keeps a client's X-Forwarded-For as
 * sent (it only fills the header in when missing), so that header alone cannot be trusted.
 */
export const PEER_ADDRESS_HEADER = "x-portal-peer-address";

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const trimmed = raw.trim().replace(/^\[(.*)\]$/, "$1");
  const address = trimmed.toLowerCase().startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
  return isIP(address) ? address : null;
}

export type TrustedProxies = { list: BlockList; empty: boolean };

/**
 * TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (10.0.0.0/8, 2001:db8::/32) of the reverse
 * proxies in front of the portal. Empty (the default) trusts none. Throws on an entry that is neither.
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split("/");
    const normalized = normalizeAddress(address);
    const family = normalized ? (isIP(normalized) === 4 ? "ipv4" : "ipv6") : null;
    if (!normalized || !family || rest.length) throw new Error(`not an address or CIDR range: ${entry}`);
    if (prefix === undefined) {
      list.addAddress(normalized, family);
    } else {
      const bits = Number(prefix);
      if (!/^\d{1,3}$/.test(prefix) || bits > (family === "ipv4" ? 32 : 128)) throw new Error(`not an address or CIDR range: ${entry}`);
      list.addSubnet(normalized, bits, family);
    }
  }
  return { list, empty: entries.length === 0 };
}

function isTrusted(proxies: TrustedProxies, address: string): boolean {
  return !proxies.empty && proxies.list.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: the socket's, unless that is a trusted proxy; then X-Forwarded-For is read from
 * the right (each proxy appends the address it saw), skipping trusted proxies, and the first address that
 * is not one is the client. Entries a client wrote itself sit left of that and are never reached.
 * Null when the server did not say (a request that did not come through scripts/serve.ts).
 */
export function clientAddress(h: Headers, proxies: TrustedProxies): string | null {
  const peer = normalizeAddress(h.get(PEER_ADDRESS_HEADER));
  if (!peer) return null;
  if (!isTrusted(proxies, peer)) return peer;
  const hops = (h.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim());
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    if (!hop) break; // garbage from the client's side: stop at the last address a proxy vouched for
    client = hop;
    if (!isTrusted(proxies, hop)) break;
  }
  return client;
}

/**
 * Whether the client reached the portal over https: PORTAL_URL is https (the portal is only offered so),
 * or a trusted proxy says so in X-Forwarded-Proto (the last entry is the nearest proxy's). A client's own
 * X-Forwarded-Proto is ignored like its X-Forwarded-For.
 */
export function servedOverHttps(h: Headers, portalUrl: string, proxies: TrustedProxies): boolean {
  if (portalUrl.toLowerCase().startsWith("https:")) return true;
  const peer = normalizeAddress(h.get(PEER_ADDRESS_HEADER));
  if (!peer || !isTrusted(proxies, peer)) return false;
  const proto = (h.get("x-forwarded-proto") ?? "").split(",").pop()?.trim().toLowerCase();
  return proto === "https";
}
