import { Chalk, type ChalkInstance } from "chalk";
import type { Finding, Level } from "../findings/finding.js";
import { MAX_PATHS_SHOWN } from "../findings/granularity.js";
import { quoteCode } from "../findings/message.js";
import { otherPathsShown, throughWords } from "../findings/other-paths.js";
import { dataClassWords } from "../model/data-class-words.js";
import { compareNotifications } from "../findings/order.js";
import type { SourceLocation } from "../location.js";
import type { Notification, ScanResult } from "../result.js";
import { terminalSafe } from "./terminal-safe.js";
import { internalErrorCount } from "../internal-errors.js";

export interface TextOptions {
  color: boolean;
  /** --verbose: every notification on its own line, budget notes too. */
  verbose?: boolean;
}

/**
 * Budget notes listed one per function up to this many; past it the terminal says how many of each there are. A
 * large gateway reaches its budgets in hundreds of functions (growthbook 1,790): one line each buries the findings
 * and the notes a reader must act on (parse errors, a broken tsconfig, internal errors), which are always listed.
 */
const BUDGET_NOTES_LISTED = 10;

const LEVEL_ORDER: Level[] = ["error", "warning", "note"];

/**
 * Renders findings for a terminal: grouped by file, each with its message (which says why the source was classified),
 * a code frame at the sink and the path as numbered steps; then notifications and a summary line with counts per level,
 * data class and rule. Everything quoted from scanned code goes through terminalSafe().
 */
export function renderText(result: ScanResult, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    const list = byFile.get(finding.location.file) ?? [];
    list.push(finding);
    byFile.set(finding.location.file, list);
  }
  for (const [file, findings] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(c.underline(terminalSafe(file)));
    for (const finding of findings) out.push(...renderFinding(finding, c), "");
  }
  if (result.notifications.length > 0) {
    out.push(c.bold("Notifications"));
    const sorted = [...result.notifications].sort(compareNotifications);
    const budget = sorted.filter(isBudgetNote);
    const grouped = !options.verbose && budget.length > BUDGET_NOTES_LISTED;
    for (const n of grouped ? sorted.filter((n) => !isBudgetNote(n)) : sorted) out.push(renderNotification(n, c));
    if (grouped) out.push(budgetLine(budget, c));
    out.push("");
  }
  out.push(summary(result, c));
  return out.join("\n") + "\n";
}

function renderFinding(finding: Finding, c: ChalkInstance): string[] {
  const where = `${finding.location.startLine}:${finding.location.startColumn}`;
  const lines = [
    `  ${c.dim(where)}  ${levelLabel(finding.level, c)}  ${terminalSafe(finding.message)}  ${c.dim(finding.ruleId)}`,
  ];
  if (finding.suppression) {
    lines.push(`    ${c.dim(`suppressed at line ${finding.suppression.location.startLine}: ${terminalSafe(finding.suppression.justification)}`)}`);
    return lines;
  }
  if (finding.baselineState) lines.push(`    ${c.dim(`baseline: ${finding.baselineState}`)}`);
  lines.push(...codeFrame(finding, c));
  const flows = (finding.flows ?? []).filter((flow) => flow.steps.length > 0);
  const shown = flows.slice(0, MAX_PATHS_SHOWN);
  for (const flow of shown) {
    const from = shown.length > 1 ? ` of the ${dataClassWords(flow.dataClass)} in ${quoteCode(flow.source.expression)}` : "";
    lines.push(`    ${c.bold("path")}${terminalSafe(from)}`);
    flow.steps.forEach((step, i) => {
      lines.push(`      ${i + 1}. ${c.cyan(position(step.location))}  ${terminalSafe(step.message)}`);
    });
  }
  for (const { flow, steps } of otherPathsShown(shown, MAX_PATHS_SHOWN)) {
    const of = shown.length > 1 ? ` of the ${dataClassWords(flow.dataClass)} in ${quoteCode(flow.source.expression)}` : "";
    lines.push(`    ${c.bold("another path")}${terminalSafe(`${of}, ${throughWords(flow.steps, steps)}`)}`);
    steps.forEach((step, i) => {
      lines.push(`      ${i + 1}. ${c.cyan(position(step.location))}  ${terminalSafe(step.message)}`);
    });
  }
  if (flows.length > shown.length) {
    lines.push(`    ${c.dim(`…and ${flows.length - shown.length} more path(s); --granularity flow reports each flow on its own`)}`);
  }
  return lines;
}

/** The sink's lines with a gutter, the primary line marked and its span underlined with carets. */
function codeFrame(finding: Finding, c: ChalkInstance): string[] {
  const frame = finding.codeFrame;
  if (!frame) return [];
  const { startLine, startColumn, endLine, endColumn } = finding.location;
  const width = String(frame.startLine + frame.lines.length - 1).length;
  const out: string[] = [];
  frame.lines.forEach((raw, i) => {
    const line = frame.startLine + i;
    const primary = line >= startLine && line <= endLine;
    const gutter = `${primary ? c.red(">") : " "} ${String(line).padStart(width)} |`;
    out.push(`    ${primary ? gutter : c.dim(gutter)} ${terminalSafe(raw)}`);
    if (line === startLine) {
      // Measure the escaped prefix so carets stay under the code even when it contains escaped characters.
      const from = terminalSafe(raw.slice(0, startColumn - 1)).length;
      const to = endLine === startLine ? terminalSafe(raw.slice(0, endColumn - 1)).length : terminalSafe(raw).length;
      out.push(`    ${c.dim(`  ${" ".repeat(width)} |`)} ${" ".repeat(from)}${c.red("^".repeat(Math.max(1, to - from)))}`);
    }
  });
  return out;
}

function isBudgetNote(n: Notification): boolean {
  return n.id.startsWith("budget-");
}

/** Budget notes by id, with what they mean for the findings and where each is listed. */
function budgetLine(notes: readonly Notification[], c: ChalkInstance): string {
  const byId = counts(notes.map((n) => n.id)).join(", ");
  const text =
    `the analysis reached its budgets in ${notes.length} places (${byId}): it approximated there and may miss ` +
    "paths through those functions; --verbose lists each, as does the SARIF report";
  return `  ${levelLabel("warning", c)}  ${text}  ${c.dim("budgets")}`;
}

function renderNotification(n: Notification, c: ChalkInstance): string {
  const where = n.location ? `${c.cyan(position(n.location))}  ` : "";
  return `  ${levelLabel(n.level, c)}  ${where}${terminalSafe(n.message)}  ${c.dim(n.id)}`;
}

function summary(result: ScanResult, c: ChalkInstance): string {
  const open = result.findings.filter((f) => !f.suppression);
  const suppressed = result.findings.length - open.length;
  const internal = internalErrorCount(result.notifications);
  if (internal > 0) {
    // a scan our own bug cut short never reads as a pass, whatever it found
    const found = `${open.length} finding${open.length === 1 ? "" : "s"}${suppressed > 0 ? `, ${suppressed} suppressed` : ""}`;
    return c.red.bold(`✖ incomplete scan: ${internal} internal error${internal === 1 ? "" : "s"} (see Notifications) · ${found} in ${result.stats.filesScanned} file(s)`);
  }
  if (open.length === 0) {
    const note = suppressed > 0 ? ` (${suppressed} suppressed)` : "";
    return c.green(`✔ no findings${note} in ${result.stats.filesScanned} file(s)`);
  }
  const levels = LEVEL_ORDER.map((level) => [level, open.filter((f) => f.level === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}${n === 1 ? "" : "s"}`);
  // A finding counts once for each data class that reaches it.
  const classes = counts(open.flatMap((f) => [...new Set((f.flows ?? []).map((flow) => flow.dataClass))]));
  const rules = counts(open.map((f) => f.ruleId));
  const parts = [
    `✖ ${open.length} finding${open.length === 1 ? "" : "s"} (${levels.join(", ")})${suppressed > 0 ? `, ${suppressed} suppressed` : ""}`,
  ];
  if (classes.length > 0) parts.push(`by data class: ${classes.join(", ")}`);
  parts.push(`by rule: ${rules.join(", ")}`);
  return c.bold(parts.join(" · "));
}

function counts(keys: string[]): string[] {
  const map = new Map<string, number>();
  for (const k of keys) map.set(k, (map.get(k) ?? 0) + 1);
  return [...map]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, n]) => `${terminalSafe(k)} ${n}`);
}

function levelLabel(level: Level, c: ChalkInstance): string {
  const label = level.padEnd(7);
  return level === "error" ? c.red(label) : level === "warning" ? c.yellow(label) : c.blue(label);
}

function position(location: SourceLocation): string {
  return `${terminalSafe(location.file)}:${location.startLine}:${location.startColumn}`;
}
