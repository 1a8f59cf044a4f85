import type { EgressPoint } from "../vocabulary/flow.js";
import { compareLocations } from "../location.js";
import type { ScanResult } from "../result.js";
import { renderDataMap, type DataMap } from "./data-map.js";
import { destinationText, inventorySummary } from "./inventory.js";
import { htmlText, markdownCode, markdownText } from "./markdown-safe.js";

export interface InventoryMarkdownOptions {
  /** Size cap in characters (GitHub comments hold 65,536); table rows that do not fit are counted, not dropped silently. */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 60_000;

/**
 * The egress inventory as markdown (`--format inventory-markdown`): the counts, the data map (a Mermaid flowchart that
 * GitHub draws in a PR comment or a job summary), then every egress point in a collapsed table. Everything quoted from
 * scanned code is escaped (markdown-safe.ts, mermaid-safe.ts).
 */
export function renderInventoryMarkdown(result: ScanResult, options: InventoryMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const points = [...result.egress].sort((a, b) => compareLocations(a.location, b.location) || cmp(a.kind, b.kind) || cmp(a.callee, b.callee));
  if (points.length === 0) return `### flowgate: egress inventory\n\nNo egress points found in ${result.stats.filesScanned} file(s).\n`;

  const out = ["### flowgate: egress inventory", "", `${inventorySummary(points)}.`, "", ...dataMapBlock(renderDataMap(points)), ""];
  const open = [`<details><summary>${htmlText(`Every egress point (${points.length})`)}</summary>`, ""];
  const close = ["", "</details>"];
  const table = tableOf(points, maxLength - length(out) - length(open) - length(close));
  return [...out, ...open, ...table, ...close].join("\n") + "\n";
}

/** The map as markdown: the fenced flowchart, what its colours mean, and how much was folded. */
export function dataMapBlock(map: DataMap): string[] {
  const lines = ["```mermaid", map.mermaid.trimEnd(), "```", "", `_${map.legend}_`];
  if (map.foldedDoors > 0) {
    lines.push(
      "",
      `_${map.foldedDoors} of ${map.doors} door(s) (${map.foldedPoints} call(s)) are folded into the "more" nodes to keep the map readable; ` +
        "the table and `flowgate scan --format inventory` list every egress point._",
    );
  }
  return lines;
}

/** One row per egress point while `budget` characters last (room for the line that counts the rest included). */
function tableOf(points: EgressPoint[], budget: number): string[] {
  const cutLine = (cut: number) => `_…and ${cut} more egress point(s) not listed here (size limit); \`flowgate scan --format inventory\` lists them all._`;
  const room = budget - cutLine(points.length).length - 2;
  const rows = ["| Where | Kind | Call | Destination | Verdict | Data reaching it |", "| --- | --- | --- | --- | --- | --- |"];
  let used = length(rows);
  let cut = 0;
  for (const p of points) {
    const row =
      `| ${cellCode(`${p.location.file}:${p.location.startLine}:${p.location.startColumn}`)} | ${p.kind} | ${cellCode(p.label)} ` +
      `| ${markdownText(destinationText(p.destination))} | ${verdictCell(p)} ` +
      `| ${p.dataClasses.length > 0 ? p.dataClasses.map(cellCode).join(", ") : "—"} |`;
    if (cut > 0 || used + row.length + 1 > room) {
      cut++;
      continue;
    }
    rows.push(row);
    used += row.length + 1;
  }
  if (cut > 0) rows.push("", cutLine(cut));
  return rows;
}

/** `vetted`, **not vetted**; for a host vetted for some classes only, which (`vetted for` / `not vetted, only for`). */
function verdictCell(point: EgressPoint): string {
  if (!point.vettedFor) return point.vetted ? "vetted" : "**not vetted**";
  const classes = point.vettedFor.map(cellCode).join(", ");
  return point.vetted ? `vetted for ${classes}` : `**not vetted** (only for ${classes})`;
}

/** A code span inside a table cell: GitHub splits cells at every unescaped `|`, inside code spans too. */
function cellCode(code: string): string {
  return markdownCode(code).replace(/\|/g, "\\|");
}

function length(lines: string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
