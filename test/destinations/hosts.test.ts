import { describe, expect, it } from "vitest";
import { canonicalHost, compileHostPatterns, hostPatternError } from "../../src/model/hosts.js";

const vetted = compileHostPatterns(["*.enclave.eu.internal", "vault.example.com", "metrics.example.com:8443", "[fd00::7]", "10.0.0.7"]);

describe("host patterns: exact and wildcard", () => {
  it("matches an exact host and any subdomain of a wildcard suffix", () => {
    expect(vetted("vault.example.com")).toBe(true);
    expect(vetted("a.enclave.eu.internal")).toBe(true);
    expect(vetted("deep.a.enclave.eu.internal")).toBe(true);
  });

  it("a wildcard does not match its apex", () => {
    expect(vetted("enclave.eu.internal")).toBe(false);
  });

  it("matches labels, never substrings or prefixes", () => {
    expect(vetted("xenclave.eu.internal")).toBe(false);
    expect(vetted("evil-enclave.eu.internal.attacker.example")).toBe(false);
    expect(vetted("a.enclave.eu.internal.attacker.example")).toBe(false);
    expect(vetted("evilvault.example.com")).toBe(false);
    expect(vetted("vault.example.com.attacker.example")).toBe(false);
    expect(vetted("sub.vault.example.com")).toBe(false); // exact means exact
  });

  it("is case-insensitive and ignores one trailing dot, on both sides", () => {
    expect(vetted("VAULT.Example.COM")).toBe(true);
    expect(vetted("vault.example.com.")).toBe(true);
    expect(vetted("A.ENCLAVE.EU.INTERNAL.")).toBe(true);
    expect(compileHostPatterns(["Vault.Example.com."])("vault.example.com")).toBe(true);
    expect(compileHostPatterns(["*.Enclave.EU.internal."])("x.enclave.eu.internal")).toBe(true);
  });

  it("does not treat a host with two trailing dots or empty labels as a match", () => {
    expect(vetted("vault.example.com..")).toBe(false);
    expect(vetted(".enclave.eu.internal")).toBe(false);
  });
});

describe("host patterns: ports", () => {
  it("a pattern without a port matches every port", () => {
    expect(vetted("vault.example.com:8080")).toBe(true);
    expect(vetted("a.enclave.eu.internal:9092")).toBe(true);
  });

  it("a pattern with a port matches only that port", () => {
    expect(vetted("metrics.example.com:8443")).toBe(true);
    expect(vetted("metrics.example.com:9443")).toBe(false);
  });

  it("a host without a port is on its scheme's default port (80 or 443)", () => {
    expect(vetted("metrics.example.com")).toBe(false);
    expect(compileHostPatterns(["api.example.com:443"])("api.example.com")).toBe(true);
    expect(compileHostPatterns(["api.example.com:443"])("api.example.com:8443")).toBe(false);
  });
});

describe("host patterns: IP addresses and international names", () => {
  it("compares IPv6 literals in brackets in canonical form", () => {
    expect(vetted("[fd00::7]")).toBe(true);
    expect(vetted("[FD00:0:0:0:0:0:0:7]")).toBe(true);
    expect(vetted("[fd00::7]:8080")).toBe(true);
    expect(vetted("[fd00::8]")).toBe(false);
  });

  it("compares IPv4 addresses in canonical form", () => {
    expect(vetted("10.0.0.7")).toBe(true);
    expect(vetted("10.0.0.70")).toBe(false);
    expect(vetted("10.0.0.7.attacker.example")).toBe(false);
  });

  it("compares international names as punycode", () => {
    const idn = compileHostPatterns(["*.bücher.example"]);
    expect(idn("shop.xn--bcher-kva.example")).toBe(true);
    expect(idn("shop.BÜCHER.example")).toBe(true);
    expect(idn("shop.bucher.example")).toBe(false);
  });

  it("never matches something that is not a host", () => {
    expect(vetted("")).toBe(false);
    expect(vetted("vault.example.com/path")).toBe(false);
    expect(vetted("user@vault.example.com")).toBe(false);
    expect(compileHostPatterns([])("vault.example.com")).toBe(false);
  });
});

describe("hostPatternError", () => {
  it("accepts the documented forms", () => {
    for (const pattern of ["api.example.com", "*.enclave.eu.internal", "api.example.com:8443", "[fd00::1]", "[fd00::1]:443", "10.0.0.7", "localhost", "api.example.com."]) {
      expect(hostPatternError(pattern), pattern).toBeUndefined();
    }
  });

  it("says why a URL, a path or userinfo is not a host", () => {
    expect(hostPatternError("https://api.example.com/v1")).toMatch(/is a URL; write only the host, e\.g\. `api\.example\.com`/);
    expect(hostPatternError("api.example.com/v1")).toMatch(/path/);
    expect(hostPatternError("user@api.example.com")).toMatch(/user information/);
  });

  it("rejects misplaced wildcards and wildcards over IP addresses", () => {
    expect(hostPatternError("api.*.example.com")).toMatch(/whole first label/);
    expect(hostPatternError("*api.example.com")).toMatch(/whole first label/);
    expect(hostPatternError("*")).toMatch(/whole first label/);
    expect(hostPatternError("*.10.0.0.1")).toMatch(/not to IP addresses/);
  });

  it("rejects bad ports, empty names and unbracketed IPv6", () => {
    expect(hostPatternError("api.example.com:0")).toMatch(/port/);
    expect(hostPatternError("api.example.com:70000")).toMatch(/port/);
    expect(hostPatternError("api.example.com:http")).toMatch(/port/);
    expect(hostPatternError("")).toMatch(/empty/);
    expect(hostPatternError("*.")).toMatch(/empty/);
    expect(hostPatternError("a..example.com")).toMatch(/empty label/);
    expect(hostPatternError("fd00::1")).toMatch(/brackets/);
    expect(hostPatternError("[fd00::1")).toMatch(/closing/);
    expect(hostPatternError(" api.example.com")).toMatch(/spaces/);
    expect(hostPatternError("api example.com")).toBeDefined();
  });

  it("an invalid pattern never matches", () => {
    expect(compileHostPatterns(["https://api.example.com/"])("api.example.com")).toBe(false);
  });
});

describe("canonicalHost", () => {
  it("gives the form patterns are compared in", () => {
    expect(canonicalHost("API.Example.com.:8443")).toBe("api.example.com:8443");
    expect(canonicalHost("[FD00::0:7]")).toBe("[fd00::7]");
    expect(canonicalHost("a b")).toBeUndefined();
  });
});
