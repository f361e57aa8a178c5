import { clientAddress, limitKeyOfAddress, parseTrustedProxies } from "./client-address";

describe("client address", () => {
  const trusted = parseTrustedProxies("10.0.0.0/8, 192.168.1.7, fd00::/8");

  test("the socket's peer, when it is not a trusted proxy, whatever X-Forwarded-For claims", () => {
    expect(clientAddress("203.0.113.9", "198.51.100.1", trusted)).toBe("203.0.113.9");
    expect(clientAddress("::ffff:203.0.113.9", null, trusted)).toBe("203.0.113.9");
  });

  test("behind trusted proxies: the rightmost address that is not one", () => {
    expect(clientAddress("10.1.2.3", "198.51.100.1", trusted)).toBe("198.51.100.1");
    // The client claimed 1.2.3.4; the first proxy saw 198.51.100.1 connect; a second hop is ours.
    expect(clientAddress("10.1.2.3", "1.2.3.4, 198.51.100.1, 192.168.1.7", trusted)).toBe("198.51.100.1");
    expect(clientAddress("fd00::1", "2001:db8::5", trusted)).toBe("2001:db8::5");
    // Garbage in the header is skipped; only trusted hops: the leftmost.
    expect(clientAddress("10.1.2.3", "not-an-ip, 10.9.9.9", trusted)).toBe("10.9.9.9");
  });

  test("a malformed TRUSTED_PROXIES stops the service at start", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, proxy.internal")).toThrow(/TRUSTED_PROXIES: "proxy.internal"/);
    expect(parseTrustedProxies("").check("10.0.0.1", "ipv4")).toBe(false);
  });

  test("the limits count an IPv6 client by its /64, an IPv4 one by its address", () => {
    expect(limitKeyOfAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(limitKeyOfAddress("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe(limitKeyOfAddress("2001:0db8:0001:0002::"));
    expect(limitKeyOfAddress("2001:db8:1:3::1")).not.toBe(limitKeyOfAddress("2001:db8:1:2::1"));
    expect(limitKeyOfAddress("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(limitKeyOfAddress("203.0.113.9")).not.toBe(limitKeyOfAddress("203.0.113.10"));
    expect(limitKeyOfAddress("")).toBe("");
  });
});
