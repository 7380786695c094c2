// Issue 9 §3: X-Forwarded-For was believed from anyone; now only from TRUSTED_PROXIES.
import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress, parseTrustedProxies, PEER_ADDRESS_HEADER } from "@/lib/http/client-address";

function headers(peer: string | null, forwarded?: string): Headers {
  const h = new Headers();
  if (peer !== null) h.set(PEER_ADDRESS_HEADER, peer);
  if (forwarded !== undefined) h.set("x-forwarded-for", forwarded);
  return h;
}

describe("clientAddress", () => {
  const none = parseTrustedProxies("");
  const proxies = parseTrustedProxies("10.0.0.5, 192.168.0.0/16 ,2001:db8::/32");

  it("uses the socket's address and ignores X-Forwarded-For when no proxy is trusted (the default)", () => {
    expect(clientAddress(headers("198.51.100.4", "203.0.113.7"), none)).toBe("198.51.100.4");
    expect(clientAddress(headers("::ffff:198.51.100.4", "203.0.113.7, 10.0.0.5"), none)).toBe("198.51.100.4");
    // Even a socket address that would be trusted elsewhere: with none configured nothing is.
    expect(clientAddress(headers("10.0.0.5", "203.0.113.7"), none)).toBe("10.0.0.5");
  });

  it("ignores X-Forwarded-For from a socket that is not a trusted proxy", () => {
    expect(clientAddress(headers("198.51.100.4", "203.0.113.7"), proxies)).toBe("198.51.100.4");
  });

  it("reads X-Forwarded-For from the right through trusted proxies to the first other address", () => {
    expect(clientAddress(headers("10.0.0.5", "203.0.113.7"), proxies)).toBe("203.0.113.7");
    // The client's own forged entry sits left of what the proxies appended and is never reached.
    expect(clientAddress(headers("10.0.0.5", "1.2.3.4, 203.0.113.7, 192.168.4.4"), proxies)).toBe("203.0.113.7");
    expect(clientAddress(headers("::ffff:10.0.0.5", "2001:db8::1, 198.51.100.20"), proxies)).toBe("198.51.100.20");
    // Only proxies in the chain, or garbage to the left: the last address a proxy vouched for.
    expect(clientAddress(headers("10.0.0.5", "192.168.1.1"), proxies)).toBe("192.168.1.1");
    expect(clientAddress(headers("10.0.0.5", "not-an-ip, 192.168.1.1"), proxies)).toBe("192.168.1.1");
    expect(clientAddress(headers("10.0.0.5"), proxies)).toBe("10.0.0.5");
  });

  it("is null without the server's socket header (a request that did not come through scripts/serve.ts)", () => {
    expect(clientAddress(headers(null, "203.0.113.7"), none)).toBeNull();
    expect(clientAddress(headers("garbage", "203.0.113.7"), proxies)).toBeNull();
  });
});

describe("parseTrustedProxies", () => {
  it("refuses what is neither an address nor a CIDR range", () => {
    for (const bad of ["proxy.example", "10.0.0.0/33", "10.0.0.1/8/1", "2001:db8::/129", "10.0.0.0/x"]) {
      expect(() => parseTrustedProxies(bad), bad).toThrow(/not an address or CIDR range/);
    }
    expect(parseTrustedProxies(" ").empty).toBe(true);
  });

  it("normalizes IPv4-mapped IPv6 and bracketed addresses", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("[::1]")).toBe("::1");
    expect(normalizeAddress("127.0.0.1:8080")).toBeNull();
  });
});
