import type { EgressPoint } from "../vocabulary/flow.js";
import { MAX_PATHS_SHOWN } from "../findings/granularity.js";
import { otherPathsShown, throughWords } from "../findings/other-paths.js";
import type { Finding } from "../findings/finding.js";
import { dataClassWords } from "../model/data-class-words.js";
import type { SourceLocation } from "../location.js";
import type { ScanResult } from "../result.js";
import { htmlText, markdownCode, markdownMessage } from "./markdown-safe.js";
import { renderDataMap } from "./data-map.js";
import { dataMapBlock } from "./inventory-markdown.js";

export interface MarkdownOptions {
  /** Size cap in characters (GitHub comments hold 65,536); what does not fit is counted, not silently dropped. */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 60_000;
// Rules about the update itself rather than a leak: listed in their own section.
const POLICY_RULES = new Set(["policy-weakened", "suppression-added", "suppression-unjustified", "sanitizer-removed"]);
const EGRESS_RULE = "new-egress-destination";
const LEVEL_ICON = { error: "🔴", warning: "🟠", note: "🔵" } as const;

/**
 * Renders a PR-comment summary: counts, the data map (collapsed, when the update adds or changes a door), then new
 * leaks with their paths collapsed in <details>, policy changes and new egress destinations. "New" means baselineState "new", or any open finding when there is no baseline. Suppressed,
 * unchanged and absent findings are counted only. Capped at maxLength with a count of what was cut; everything quoted
 * from scanned code is escaped (markdown-safe.ts).
 */
export function renderMarkdown(result: ScanResult, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const open = result.findings.filter((f) => !f.suppression && f.baselineState !== "absent");
  const shown = open.filter((f) => f.baselineState === undefined || f.baselineState === "new" || f.baselineState === "updated");
  const leaks = shown.filter((f) => !POLICY_RULES.has(f.ruleId) && f.ruleId !== EGRESS_RULE);
  const policy = shown.filter((f) => POLICY_RULES.has(f.ruleId));
  const egress = shown.filter((f) => f.ruleId === EGRESS_RULE);

  const head: string[] = [`### flowgate: ${headline(shown)}`, "", countsLine(result, shown, open)];
  if (leaks.length > 0) head.push("", countsTable(leaks));
  head.push(...dataMapSection(result, shown, maxLength));
  const sections: { title: string; blocks: string[] }[] = [
    { title: "New findings", blocks: leaks.map(leakBlock) },
    { title: "Policy and suppression changes", blocks: policy.map(shortBlock) },
    { title: "New egress destinations", blocks: egress.map(shortBlock) },
  ];
  const errors = result.notifications.filter((n) => n.level === "error");
  const tail: string[] = [];
  if (errors.length > 0) {
    tail.push(`> ⚠️ ${errors.length} analysis error(s) (for example files that do not parse): the scan may be incomplete.`);
  }
  // the PR's reader sees no notification list: budgets reached are said here, since paths through them may be missing
  const budgets = result.notifications.filter((n) => n.id.startsWith("budget-")).length;
  if (budgets > 0) {
    tail.push(`> ℹ️ The analysis reached its budgets in ${budgets} place(s): it approximated there and may miss paths through those functions; the SARIF report lists each.`);
  }

  // Fill sections in order until the budget is spent; the cut line says how much is missing.
  const out = [...head];
  let used = length(out) + length(tail) + 200;
  let cut = 0;
  for (const section of sections) {
    if (section.blocks.length === 0) continue;
    const title = `\n#### ${section.title} (${section.blocks.length})\n`;
    if (cut > 0 || used + title.length > maxLength) {
      cut += section.blocks.length;
      continue;
    }
    out.push(title);
    used += title.length;
    for (const block of section.blocks) {
      if (cut > 0 || used + block.length + 1 > maxLength) {
        cut++;
        continue;
      }
      out.push(block);
      used += block.length + 1;
    }
  }
  if (cut > 0) out.push("", `_…and ${cut} more not shown here (size limit); the SARIF report and \`flowgate scan\` list them all._`);
  if (tail.length > 0) out.push("", ...tail);
  return out.join("\n") + "\n";
}

/**
 * In update review, when the update adds a door (new-egress-destination) or changes what reaches one (a new or updated
 * leak), the data map, collapsed, with the doors concerned marked 🆕: the reviewer sees where the change sits among
 * every way out of the gateway. Left out (with a line saying so) when it would take more than half the comment.
 */
function dataMapSection(result: ScanResult, shown: Finding[], maxLength: number): string[] {
  const doorChanges = shown.filter(
    (f) => f.ruleId === EGRESS_RULE || (!POLICY_RULES.has(f.ruleId) && (f.baselineState === "new" || f.baselineState === "updated")),
  );
  if (doorChanges.length === 0 || result.egress.length === 0) return [];
  const map = renderDataMap(result.egress, { changed: (point) => doorChanges.some((f) => changesDoor(f, point)) });
  const block = [
    "",
    `<details><summary>${htmlText(`Data map: ${map.doors} door(s) out of the gateway, the ones this update adds or changes marked 🆕`)}</summary>`,
    "",
    ...dataMapBlock(map),
    "",
    "</details>",
  ];
  if (length(block) <= maxLength / 2) return block;
  return ["", "_The data map is left out (size limit); `flowgate scan --format inventory-markdown` draws it._"];
}

/** Whether a finding is about this egress point: at its call (a new destination), or at a sink argument inside it. */
function changesDoor(finding: Finding, point: EgressPoint): boolean {
  if (finding.ruleId === EGRESS_RULE) {
    return [finding.location, ...finding.relatedLocations.map((r) => r.location)].some((l) => sameLocation(l, point.location));
  }
  return (finding.flows ?? []).some((flow) => flow.sink.callee === point.callee && within(flow.sink.location, point.location));
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.startLine === b.startLine && a.startColumn === b.startColumn;
}

function within(inner: SourceLocation, outer: SourceLocation): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return (
    inner.file === outer.file &&
    before(outer.startLine, outer.startColumn, inner.startLine, inner.startColumn) &&
    before(inner.endLine, inner.endColumn, outer.endLine, outer.endColumn)
  );
}

function headline(shown: Finding[]): string {
  if (shown.length === 0) return "no new findings ✅";
  const errors = shown.filter((f) => f.level === "error").length;
  return `${shown.length} new finding${shown.length === 1 ? "" : "s"}${errors > 0 ? ` (${errors} error${errors === 1 ? "" : "s"})` : ""}`;
}

function countsLine(result: ScanResult, shown: Finding[], open: Finding[]): string {
  const parts = [`${result.stats.filesScanned} file(s) scanned`, `${shown.length} new`];
  const unchanged = open.length - shown.length;
  if (unchanged > 0) parts.push(`${unchanged} unchanged`);
  const fixed = result.findings.filter((f) => f.baselineState === "absent").length;
  if (fixed > 0) parts.push(`${fixed} fixed`);
  const suppressed = result.findings.filter((f) => f.suppression).length;
  if (suppressed > 0) parts.push(`${suppressed} suppressed`);
  return parts.join(" · ");
}

/** Findings per rule and data class (a finding that several classes reach counts once for each). */
function countsTable(leaks: Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of leaks) {
    const classes = [...new Set((f.flows ?? []).map((flow) => flow.dataClass))];
    for (const dataClass of classes.length > 0 ? classes : [""]) {
      const key = `${f.ruleId}\u0000${dataClass}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const rows = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    "| Rule | Data class | Findings |",
    "| --- | --- | ---: |",
    ...rows.map(([key, n]) => {
      const [rule, dataClass] = key.split("\u0000") as [string, string];
      return `| ${markdownCode(rule)} | ${dataClass ? markdownCode(dataClass) : "—"} | ${n} |`;
    }),
  ].join("\n");
}

function leakBlock(finding: Finding): string {
  const lines = [`- ${LEVEL_ICON[finding.level]} ${markdownCode(position(finding.location))} ${markdownMessage(finding.message)} (${markdownCode(finding.ruleId)})`];
  const flows = (finding.flows ?? []).filter((flow) => flow.steps.length > 0);
  const shown = flows.slice(0, MAX_PATHS_SHOWN);
  for (const flow of shown) {
    const steps = flow.steps;
    const from = shown.length > 1 ? ` of the ${dataClassWords(flow.dataClass)} in ${flow.source.expression.replace(/\s+/g, " ").slice(0, 80)}` : "";
    lines.push(
      "",
      `  <details><summary>${htmlText(`Path${from}: ${steps.length} step${steps.length === 1 ? "" : "s"}`)}</summary>`,
      "",
      ...steps.map((step, i) => `  ${i + 1}. ${markdownCode(position(step.location))} ${markdownMessage(step.message)}`),
      "",
      "  </details>",
    );
  }
  for (const { flow, steps } of otherPathsShown(shown, MAX_PATHS_SHOWN)) {
    const of = shown.length > 1 ? ` of the ${dataClassWords(flow.dataClass)} in ${flow.source.expression.replace(/\s+/g, " ").slice(0, 80)}` : "";
    lines.push(
      "",
      `  <details><summary>${htmlText(`Another path${of}, ${throughWords(flow.steps, steps)}: ${steps.length} step${steps.length === 1 ? "" : "s"}`)}</summary>`,
      "",
      ...steps.map((step, i) => `  ${i + 1}. ${markdownCode(position(step.location))} ${markdownMessage(step.message)}`),
      "",
      "  </details>",
    );
  }
  if (flows.length > shown.length) lines.push("", `  _…and ${flows.length - shown.length} more path(s)._`);
  return lines.join("\n");
}

function shortBlock(finding: Finding): string {
  return `- ${LEVEL_ICON[finding.level]} ${markdownCode(position(finding.location))} ${markdownMessage(finding.message)} (${markdownCode(finding.ruleId)})`;
}

function position(location: SourceLocation): string {
  return `${location.file}:${location.startLine}`;
}

function length(lines: string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}
