import { ratio, type Budget, type TargetResult } from "./budgets.js";

/** The results as a Markdown table (readable in a terminal, pasted as is into docs/performance.md). */
export function renderTable(results: readonly TargetResult[], budgets: readonly Budget[]): string {
  const header = [
    "project",
    "lines",
    "files",
    "flowgate full",
    "tsc --noEmit",
    "flowgate/tsc",
    "flowgate RSS",
    "tsc RSS",
    "RSS ratio",
    "flowgate lines/s",
    "update scan",
    "update/full",
    "findings",
  ];
  const rows = results.map((r) => {
    const full = r.flowgate.medianMs;
    const failed = (side: TargetResult["flowgate"]) => (side.ok === 0 ? `failed (${side.failures[0] ?? "no run"})` : undefined);
    return [
      r.name,
      r.lines.toLocaleString("en-US"),
      String(r.files),
      failed(r.flowgate) ?? secs(full),
      failed(r.tsc) ?? secs(r.tsc.medianMs),
      fixed(ratio(full, r.tsc.medianMs)),
      mb(r.flowgate.medianRssMb),
      mb(r.tsc.medianRssMb),
      fixed(ratio(r.flowgate.medianRssMb, r.tsc.medianRssMb)),
      full ? Math.round(r.lines / (full / 1000)).toLocaleString("en-US") : "–",
      r.update ? (failed(r.update) ?? secs(r.update.medianMs)) : (r.updateNote ?? "n/a"),
      r.update ? fixed(ratio(r.update.medianMs, full)) : "n/a",
      r.findings ? String(Object.values(r.findings).reduce((a, b) => a + b, 0)) : "–",
    ];
  });
  const budgetRows = budgets.map((b) => [b.budget, b.target, b.limit, b.measured, b.status]);
  return [markdown(header, rows), "", markdown(["budget", "project", "limit", "measured", "status"], budgetRows)].join("\n");
}

/** A Markdown table: header row, separator, one line per row. */
export function markdown(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export const secs = (ms: number | undefined) => (ms === undefined ? "–" : `${(ms / 1000).toFixed(2)} s`);
export const mb = (value: number | undefined) => (value === undefined ? "–" : `${Math.round(value)} MB`);
export const fixed = (value: number | undefined) => (value === undefined ? "–" : value.toFixed(2));
