import path from "node:path";
import type { Finding } from "./finding.js";
import { compareLocations } from "../location.js";

/** What `flowgate explain` was asked about: a fingerprint (or a unique-enough prefix of one), or a place in a file. */
export type FindingQuery = { kind: "fingerprint"; prefix: string } | { kind: "location"; file: string; line: number };

// A fingerprint is 32 hex digits (src/findings/fingerprint.ts); a prefix of 6 or more is accepted, as git does.
const FINGERPRINT = /^[0-9a-f]{6,32}$/i;
const LOCATION = /^(.+?):(\d+)(?::\d+)?$/;

/**
 * Reads the query: hex digits are a fingerprint; `file:line` (or `file:line:column`) a place, the file relative to the
 * working directory or absolute, and made relative to the scan root. Undefined when it is neither.
 */
export function parseFindingQuery(text: string, root: string, cwd: string): FindingQuery | undefined {
  if (FINGERPRINT.test(text)) return { kind: "fingerprint", prefix: text.toLowerCase() };
  const match = LOCATION.exec(text);
  if (!match) return undefined;
  const line = Number(match[2]);
  if (line < 1) return undefined;
  const fromCwd = path.relative(root, path.resolve(cwd, match[1]!));
  // a path inside the root as given from the working directory; otherwise read as relative to the root itself
  const file = fromCwd.startsWith("..") || path.isAbsolute(fromCwd) ? match[1]! : fromCwd;
  return { kind: "location", file: file.split(path.sep).join("/"), line };
}

/**
 * The findings the query names: the ones whose fingerprint starts with the prefix, or whose primary location spans the
 * line; when none, the nearest (same file by distance in lines, then the others; or fingerprints sharing the longest
 * prefix) for the "did you mean" list.
 */
export function selectFindings(findings: readonly Finding[], query: FindingQuery): { matches: Finding[]; nearest: Finding[] } {
  const present = findings.filter((f) => f.baselineState !== "absent");
  if (query.kind === "fingerprint") {
    const matches = present.filter((f) => f.fingerprint.startsWith(query.prefix));
    const shared = (f: Finding) => commonPrefix(f.fingerprint, query.prefix);
    return { matches, nearest: matches.length > 0 ? [] : [...present].sort((a, b) => shared(b) - shared(a) || compareLocations(a.location, b.location)).slice(0, NEAREST) };
  }
  const matches = present.filter((f) => f.location.file === query.file && f.location.startLine <= query.line && query.line <= f.location.endLine);
  const distance = (f: Finding) => (f.location.file === query.file ? Math.abs(f.location.startLine - query.line) : Number.MAX_SAFE_INTEGER);
  return {
    matches,
    nearest: matches.length > 0 ? [] : [...present].sort((a, b) => distance(a) - distance(b) || compareLocations(a.location, b.location)).slice(0, NEAREST),
  };
}

const NEAREST = 5;

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
