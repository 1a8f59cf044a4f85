/**
 * Vetted host patterns (`vetted.hosts`): which destinations count as inside the enclave.
 *
 * A pattern is `host` or `host:port`, where `host` is
 * - an exact DNS name (`api.enclave.eu.internal`), matched label for label — never as a substring or a prefix;
 * - `*.suffix` (`*.enclave.eu.internal`): any name with at least one more label in front of the suffix; the apex
 *   `enclave.eu.internal` itself does not match, and neither does `xenclave.eu.internal`;
 * - an IPv4 address (`10.0.0.7`) or an IPv6 address in brackets (`[fd00::7]`), compared in canonical form.
 * Names are compared case-insensitively, after dropping one trailing dot (`API.Example.` = `api.example`) and after
 * converting international names to punycode (`bücher.example` = `xn--bcher-kva.example`). Canonicalisation is the
 * WHATWG URL parser's (the same one that extracts a destination's host), so a pattern and a host can never disagree
 * about how a name is spelled.
 * A pattern without a port matches the host on any port; `host:port` matches only that port. A destination written
 * without a port is on its scheme's default port, which the URL parser leaves out of the host: it matches `host:80`
 * and `host:443` patterns (flowgate does not carry the scheme into the comparison).
 */
export type HostMatcher = (host: string) => boolean;

interface ParsedPattern {
  wildcard: boolean;
  /** Canonical host name (for a wildcard: the suffix without `*.`). */
  name: string;
  port?: number;
}

/** Compiles patterns (already checked with {@link hostPatternError}; invalid ones never match). */
export function compileHostPatterns(patterns: readonly string[]): HostMatcher {
  const parsed = patterns.map(parsePattern).filter((p): p is ParsedPattern => typeof p !== "string");
  return (host: string) => {
    const target = parseHost(host);
    if (typeof target === "string") return false;
    return parsed.some((pattern) => {
      if (pattern.port !== undefined) {
        const port = target.port ?? "default";
        if (port === "default" ? pattern.port !== 80 && pattern.port !== 443 : port !== pattern.port) return false;
      }
      if (!pattern.wildcard) return target.name === pattern.name;
      return target.name.length > pattern.name.length + 1 && target.name.endsWith(`.${pattern.name}`);
    });
  };
}

/** `vetted.hosts` compiled: plain patterns vet a host for every data class, `{ host, classes }` only for those. */
export interface HostVetting {
  forEveryClass: HostMatcher;
  /** The classes a host is vetted for by restricted entries (their union), when no plain pattern vets it; else undefined. */
  onlyFor(host: string): readonly string[] | undefined;
}

export function compileHostVetting(entries: readonly { host: string; classes?: readonly string[] }[]): HostVetting {
  const forEveryClass = compileHostPatterns(entries.filter((e) => e.classes === undefined).map((e) => e.host));
  const restricted = entries
    .filter((e) => e.classes !== undefined)
    .map((e) => ({ matches: compileHostPatterns([e.host]), classes: e.classes! }));
  return {
    forEveryClass,
    onlyFor(host) {
      if (restricted.length === 0 || forEveryClass(host)) return undefined;
      const classes = new Set<string>();
      for (const entry of restricted) if (entry.matches(host)) entry.classes.forEach((c) => classes.add(c));
      return classes.size > 0 ? [...classes].sort() : undefined;
    },
  };
}

/** Why a pattern is invalid, or undefined when it is fine (the config stage reports it with file:line:column). */
export function hostPatternError(pattern: string): string | undefined {
  const parsed = parsePattern(pattern);
  return typeof parsed === "string" ? parsed : undefined;
}

/** A host (`name` or `name:port`, as `URL.host` gives it) in canonical form, or why it is not one. */
export function canonicalHost(host: string): string | undefined {
  const parsed = parseHost(host);
  if (typeof parsed === "string") return undefined;
  return parsed.port === undefined ? parsed.name : `${parsed.name}:${parsed.port}`;
}

function parsePattern(pattern: string): ParsedPattern | string {
  const text = pattern.trim();
  if (text === "") return "a host pattern must not be empty";
  if (text !== pattern) return `\`${pattern}\` has spaces around it; write the host alone`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return `\`${pattern}\` is a URL; write only the host, e.g. \`${hostOfUrl(text) ?? "api.example.com"}\``;
  }
  if (text.includes("@")) return `\`${pattern}\` contains \`@\` (user information); write only the host`;
  if (/[/?#\\]/.test(text)) return `\`${pattern}\` contains a path, query or fragment; write only the host`;
  let wildcard = false;
  let rest = text;
  if (rest.startsWith("*.")) {
    wildcard = true;
    rest = rest.slice(2);
  }
  if (rest.includes("*")) {
    return `\`${pattern}\`: \`*\` is allowed only as the whole first label, as in \`*.example.com\``;
  }
  const host = parseHost(rest);
  if (typeof host === "string") return `\`${pattern}\`: ${host}`;
  if (wildcard && (host.name.startsWith("[") || isIPv4(host.name))) {
    return `\`${pattern}\`: a wildcard applies to DNS names, not to IP addresses`;
  }
  return { wildcard, name: host.name, port: host.port };
}

/** Splits and canonicalises `name[:port]`; returns the reason as a string when it is not a host. */
function parseHost(text: string): { name: string; port?: number } | string {
  let name: string;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) return "an IPv6 address needs its closing `]`";
    name = text.slice(0, close + 1);
    const after = text.slice(close + 1);
    if (after !== "") {
      if (!after.startsWith(":")) return "only `:port` may follow an IPv6 address in brackets";
      portText = after.slice(1);
    }
  } else {
    const colons = text.split(":").length - 1;
    if (colons > 1) return "write an IPv6 address in brackets, as in `[fd00::1]`";
    const colon = text.indexOf(":");
    name = colon < 0 ? text : text.slice(0, colon);
    if (colon >= 0) portText = text.slice(colon + 1);
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) return "the port must be a number from 1 to 65535";
  }
  if (name.endsWith(".")) name = name.slice(0, -1);
  if (name === "") return "the host name is empty";
  if (/[\s/?#@\\%]/.test(name)) return "the host name contains characters a host cannot have";
  let canonical: string;
  try {
    canonical = new URL(`http://${name}/`).hostname;
  } catch {
    return "not a valid host name";
  }
  if (canonical === "" || canonical.split(".").some((label) => label === "")) return "a host name has an empty label";
  return { name: canonical, port };
}

function isIPv4(name: string): boolean {
  return /^[0-9]+(\.[0-9]+){3}$/.test(name);
}

function hostOfUrl(text: string): string | undefined {
  try {
    return new URL(text).host || undefined;
  } catch {
    return undefined;
  }
}
