import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { parse } from "yaml";
import { snapshotData } from "../config/rules-snapshot.js";
import { deepFreeze, once } from "../config/shipped.js";
import { RULES_DIR } from "../package-root.js";
import type { Level } from "./finding.js";
import { readToolInfo, ruleHelpUri } from "./tool-info.js";
import { lazy } from "../lazy.js";

/**
 * A rule's metadata, read from rules/checks/<id>.yaml. SARIF `rules[]`, `flowgate rules` and docs/rules.md are all
 * generated from it, never written twice.
 */
export interface RuleMetadata {
  id: string;
  name: string; // PascalCase, for SARIF reportingDescriptor.name
  shortDescription: string;
  fullDescription: string;
  level: Level;
  securitySeverity: string; // "8.0": GitHub's security-severity
  precision: "very-high" | "high" | "medium" | "low";
  tags: string[];
  help: { text: string; markdown: string };
  /** Absolute link to the rule's documentation, derived from its id; absent when the package has no home page. */
  helpUri?: string;
}

/** The sections every rule's help must have, in this order (checked by the catalog and its test). */
export const HELP_SECTIONS = ["Description", "Remediation", "Examples"] as const;

export const CHECKS_DIR = path.join(RULES_DIR, "checks");
const SCHEMA_FILE = path.join(RULES_DIR, "schema", "check.schema.json");

interface CheckFile {
  id: string;
  name: string;
  shortDescription: string;
  fullDescription: string;
  level: Level;
  securitySeverity: string;
  precision: RuleMetadata["precision"];
  tags: string[];
  help: string;
}

/**
 * Loads every rule's metadata from rules/checks/ (or `dir`), sorted by id. The files ship with flowgate, so a bad one is
 * a packaging bug: it throws with the file and what is wrong rather than producing a half-described rule.
 */
export function loadRuleCatalog(dir: string = CHECKS_DIR): RuleMetadata[] {
  // The shipped catalogue is read once per process (config/shipped.ts); each caller gets its own array of frozen rules.
  return dir === CHECKS_DIR ? [...shippedCatalog()] : readRuleCatalog(dir);
}

const shippedCatalog = once(() => deepFreeze(readRuleCatalog(CHECKS_DIR)));

function readRuleCatalog(dir: string): RuleMetadata[] {
  const { homepage } = readToolInfo();
  const read = checkReader();
  const rules = yamlFilesIn(dir).map((file) => {
    const where = path.join(dir, file);
    const text = readFileSync(where, "utf8");
    // the built-in checks come from the build's snapshot while their text is unchanged (config/rules-snapshot.ts)
    const data = (dir === CHECKS_DIR ? (snapshotData(where, text)?.data as CheckFile | undefined) : undefined) ?? read(where, text);
    const expectedId = file.slice(0, -".yaml".length);
    if (data.id !== expectedId) throw new Error(`${where}: rule id '${data.id}' must equal the file name '${expectedId}'`);
    const missing = missingHelpSections(data.help);
    if (missing.length > 0) throw new Error(`${where}: help lacks the section(s) ${missing.map((s) => `'## ${s}'`).join(", ")}`);
    const markdown = data.help.trim() + "\n";
    const helpUri = ruleHelpUri(homepage, data.id);
    return {
      id: data.id,
      name: data.name,
      shortDescription: data.shortDescription,
      fullDescription: data.fullDescription.trim(),
      level: data.level,
      securitySeverity: data.securitySeverity,
      precision: data.precision,
      tags: [...data.tags].sort(),
      help: { text: markdownToPlainText(markdown), markdown },
      ...(helpUri !== undefined ? { helpUri } : {}),
    } satisfies RuleMetadata;
  });
  return rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Parses and validates a check file's text; the schema is compiled on the first file that needs it. */
function checkReader(): (where: string, text: string) => CheckFile {
  const validator = lazy(() => new Ajv({ allErrors: true }).compile<CheckFile>(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object));
  return (where, text) => {
    const validate = validator();
    const data: unknown = parse(text);
    if (!validate(data)) throw new Error(`${where}: invalid rule metadata: ${describeErrors(validate.errors)}`);
    return data;
  };
}

function yamlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
}

/** Every built-in check file with its text and validated data: what the build writes to the rules snapshot. */
export function shippedCheckFiles(): [string, { text: string; data: unknown }][] {
  const read = checkReader();
  return yamlFilesIn(CHECKS_DIR).map((file) => {
    const where = path.join(CHECKS_DIR, file);
    const text = readFileSync(where, "utf8");
    return [where, { text, data: read(where, text) }];
  });
}

/** The rule with this id, or undefined. */
export function findRule(rules: readonly RuleMetadata[], id: string): RuleMetadata | undefined {
  return rules.find((r) => r.id === id);
}

/** The rule with this id; throws naming the id when the catalog has none (a rule id used in code must exist). */
export function findRuleOrThrow(rules: readonly RuleMetadata[], id: string): RuleMetadata {
  const rule = findRule(rules, id);
  if (!rule) throw new Error(`unknown rule id '${id}': no rules/checks/${id}.yaml`);
  return rule;
}

/** The help sections (of HELP_SECTIONS) that a help text lacks as `## <name>` headings, in order. */
export function missingHelpSections(markdown: string): string[] {
  const headings = new Set(
    markdown
      .split("\n")
      .filter((line) => line.startsWith("## "))
      .map((line) => line.slice(3).trim()),
  );
  return HELP_SECTIONS.filter((s) => !headings.has(s));
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`).join("; ");
}

/** SARIF help.text is plain text: headings lose their marks, code fences are dropped (the code stays, indented). */
function markdownToPlainText(markdown: string): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) {
      inCode = !inCode;
      continue;
    }
    if (inCode) out.push(line.length > 0 ? `    ${line}` : "");
    else if (/^#{1,6} /.test(line)) out.push(line.replace(/^#{1,6} /, "").toUpperCase());
    else out.push(line);
  }
  return out.join("\n").trim() + "\n";
}
