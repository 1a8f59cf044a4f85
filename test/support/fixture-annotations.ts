import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Finding } from "../../src/findings/finding.js";

/*
 * The fixture oracle (PROTOCOL.md "FIXTURE ANNOTATIONS"): trailing line comments on the line where a finding's
 * primary location (the sink argument) starts.
 *
 *   // @flowgate leak-to-network phone-number                      this finding starts on this line
 *   // @flowgate leak-to-log phone-number, leak-to-log email-address several on one line
 *   // @flowgate clean                                             no finding may start on this line
 *   // @flowgate gap leak-to-log phone-number                      a known false negative: fails once found
 *   // @flowgate fp leak-to-log phone-number                       a known false positive: fails once no longer found
 *
 * `gap` and `fp` track what the tool gets wrong today, so it is visible in the tally and cannot be forgotten: when the
 * tool improves, the case fails until the marker is promoted (`gap` → an expectation, `fp` → `clean`).
 * Items of one comment may mix them (`leak-to-log ip-address, gap leak-to-log email-address`).
 * Suppressed findings count like any other: a suppression hides nothing from the oracle.
 */

/** One expected (or found) finding, identified the way annotations name it. */
export interface FindingKey {
  file: string; // relative to the fixture case, forward slashes
  line: number;
  ruleId: string;
  dataClass: string;
}

export interface Annotations {
  expected: FindingKey[];
  gaps: FindingKey[];
  /** Known false positives: findings a correct tool would not report, tolerated (and counted) while they happen. */
  falsePositives: FindingKey[];
  clean: { file: string; line: number }[];
  /** Malformed annotations, as "file:line: why": a typo must fail loudly, not silently expect nothing. */
  errors: string[];
}

const ANNOTATION = /\/\/\s*@flowgate\b(.*)$/;
const ITEM = /^(?:(gap|fp)\s+)?([a-z][a-z0-9-]*)\s+([a-z][a-z0-9-]*)$/;
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** Reads the annotations of one file's text. */
export function parseAnnotations(file: string, text: string): Annotations {
  const result: Annotations = { expected: [], gaps: [], falsePositives: [], clean: [], errors: [] };
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((content, index) => {
    const match = ANNOTATION.exec(content);
    if (!match) return;
    const line = index + 1;
    const body = (match[1] ?? "").trim();
    if (body === "clean") {
      result.clean.push({ file, line });
      return;
    }
    if (body === "") {
      result.errors.push(`${file}:${line}: empty @flowgate annotation`);
      return;
    }
    for (const item of body.split(",").map((s) => s.trim())) {
      const parts = ITEM.exec(item.replace(/\s+/g, " "));
      if (!parts || parts[2] === "clean") {
        result.errors.push(
          `${file}:${line}: cannot read "${item}" (expected "<rule-id> <data-class>", "gap <rule-id> <data-class>", "fp <rule-id> <data-class>" or "clean" alone)`,
        );
        continue;
      }
      const key = { file, line, ruleId: parts[2] as string, dataClass: parts[3] as string };
      (parts[1] === "gap" ? result.gaps : parts[1] === "fp" ? result.falsePositives : result.expected).push(key);
    }
  });
  return result;
}

/** Reads the annotations of every TS/JS file under a fixture case directory (node_modules aside). */
export function readCaseAnnotations(caseDir: string): Annotations {
  const all: Annotations = { expected: [], gaps: [], falsePositives: [], clean: [], errors: [] };
  const entries = readdirSync(caseDir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && SOURCE_FILE.test(e.name))
    .map((e) => path.relative(caseDir, path.join(e.parentPath, e.name)).replace(/\\/g, "/"))
    .filter((f) => !f.split("/").includes("node_modules"))
    .sort();
  for (const file of files) {
    const one = parseAnnotations(file, readFileSync(path.join(caseDir, file), "utf8"));
    all.expected.push(...one.expected);
    all.gaps.push(...one.gaps);
    all.falsePositives.push(...one.falsePositives);
    all.clean.push(...one.clean);
    all.errors.push(...one.errors);
  }
  return all;
}

/** Every directory under `fixturesDir` holding a flowgate.config.yaml: one fixture case each, relative, sorted. */
export function findFixtureCases(fixturesDir: string): string[] {
  return readdirSync(fixturesDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name === "flowgate.config.yaml")
    .map((e) => path.relative(fixturesDir, e.parentPath).replace(/\\/g, "/"))
    .filter((dir) => !dir.split("/").includes("node_modules"))
    .sort();
}

export interface Verdict {
  truePositives: FindingKey[];
  /** Annotated, not found (false negatives). */
  missing: FindingKey[];
  /** Found, not annotated (false positives); `onCleanLine` when the line says it must stay clean. */
  extra: (FindingKey & { onCleanLine: boolean; message: string })[];
  /** Marked `gap` but found: the annotation must become an expectation. */
  gapsFound: FindingKey[];
  /** Marked `gap` and still not found. */
  knownGaps: FindingKey[];
  /** Marked `fp` and still found. */
  knownFalsePositives: FindingKey[];
  /** Marked `fp` but no longer found: the annotation must become `clean`. */
  falsePositivesGone: FindingKey[];
}

export function keyText(key: FindingKey): string {
  return `${key.file}:${key.line} ${key.ruleId} ${key.dataClass}`;
}

/** Compares what a scan found with what the annotations expect, both ways. */
/**
 * What a scan found, as the oracle compares it: each flow (data class) of each finding on the line where the finding
 * starts. A finding is one door (sink argument × rule) that several sources and classes may reach: every one of its
 * flows is checked on its own, so grouping hides no flow from the oracle.
 */
export function foundKeys(findings: readonly Finding[]): (FindingKey & { message: string })[] {
  return findings.flatMap((finding) =>
    [...new Set((finding.flows ?? []).map((flow) => flow.dataClass))].concat(finding.flows ? [] : ["-"]).map((dataClass) => ({
      file: finding.location.file,
      line: finding.location.startLine,
      ruleId: finding.ruleId,
      dataClass,
      message: finding.message,
    })),
  );
}

export function compareWithAnnotations(annotations: Annotations, found: (FindingKey & { message: string })[]): Verdict {
  const foundByKey = new Map<string, FindingKey & { message: string }>();
  for (const finding of found) if (!foundByKey.has(keyText(finding))) foundByKey.set(keyText(finding), finding);
  const expected = new Set(annotations.expected.map(keyText));
  const gaps = new Set(annotations.gaps.map(keyText));
  const falsePositives = new Set(annotations.falsePositives.map(keyText));
  const cleanLines = new Set(annotations.clean.map((c) => `${c.file}:${c.line}`));
  const verdict: Verdict = {
    truePositives: [],
    missing: [],
    extra: [],
    gapsFound: [],
    knownGaps: [],
    knownFalsePositives: [],
    falsePositivesGone: [],
  };
  for (const key of uniqueKeys(annotations.expected)) (foundByKey.has(keyText(key)) ? verdict.truePositives : verdict.missing).push(key);
  for (const key of uniqueKeys(annotations.gaps)) (foundByKey.has(keyText(key)) ? verdict.gapsFound : verdict.knownGaps).push(key);
  for (const key of uniqueKeys(annotations.falsePositives)) {
    (foundByKey.has(keyText(key)) ? verdict.knownFalsePositives : verdict.falsePositivesGone).push(key);
  }
  for (const [text, finding] of foundByKey) {
    if (expected.has(text) || gaps.has(text) || falsePositives.has(text)) continue;
    verdict.extra.push({ ...finding, onCleanLine: cleanLines.has(`${finding.file}:${finding.line}`) });
  }
  verdict.extra.sort((a, b) => compareKeys(a, b));
  return verdict;
}

/** The failure message of one case: every line, rule and data class that is missing or extra. */
export function describeVerdict(caseName: string, verdict: Verdict, errors: string[]): string | undefined {
  const lines: string[] = [];
  for (const error of errors) lines.push(`  bad annotation  ${error}`);
  for (const key of verdict.missing) lines.push(`  missing   ${keyText(key)}   (annotated, not found)`);
  for (const key of verdict.extra) {
    const why = key.onCleanLine ? "found on a line marked clean" : "found, not annotated";
    lines.push(`  extra     ${keyText(key)}   (${why}: ${key.message})`);
  }
  for (const key of verdict.gapsFound) lines.push(`  gap found ${keyText(key)}   (a known gap is found now: turn \`gap\` into an expectation)`);
  for (const key of verdict.falsePositivesGone) {
    lines.push(`  fp gone   ${keyText(key)}   (a known false positive is no longer reported: turn \`fp\` into \`clean\`)`);
  }
  return lines.length === 0 ? undefined : [`fixtures/${caseName}:`, ...lines].join("\n");
}

function uniqueKeys(keys: FindingKey[]): FindingKey[] {
  const seen = new Map<string, FindingKey>();
  for (const key of keys) if (!seen.has(keyText(key))) seen.set(keyText(key), key);
  return [...seen.values()].sort(compareKeys);
}

function compareKeys(a: FindingKey, b: FindingKey): number {
  const x = keyText(a);
  const y = keyText(b);
  return a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line || (x < y ? -1 : x > y ? 1 : 0);
}
