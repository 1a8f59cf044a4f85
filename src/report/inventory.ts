import type { Destination, EgressPoint } from "../vocabulary/flow.js";
import { compareLocations } from "../location.js";
import type { ScanResult } from "../result.js";
import { terminalSafe } from "./terminal-safe.js";

/**
 * Renders the egress inventory: every door out of the gateway, vetted or not — kind, call, destination (or why it
 * could not be resolved), verdict, and the data classes that reach it — grouped by file in aligned columns, then a
 * section per unmodelled package that restricted data reaches (leak-to-unmodelled-library's doors, with their call
 * sites), then a summary. Plain text; everything from scanned code goes through terminalSafe().
 */
export function renderInventory(result: ScanResult): string {
  const points = [...result.egress].sort(
    (a, b) => compareLocations(a.location, b.location) || cmp(a.kind, b.kind) || cmp(a.callee, b.callee),
  );
  if (points.length === 0) return `Egress inventory: no egress points found in ${result.stats.filesScanned} file(s).\n`;

  const rows = points.map((p) => ({
    file: terminalSafe(p.location.file),
    cells: [
      `${p.location.startLine}:${p.location.startColumn}`,
      p.kind,
      terminalSafe(p.label),
      terminalSafe(destinationText(p.destination)),
      verdict(p),
      p.dataClasses.length > 0 ? p.dataClasses.map(terminalSafe).join(", ") : "-",
    ],
  }));
  const header = ["where", "kind", "call", "destination", "verdict", "data reaching it"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] as string).length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join("  ")}`.trimEnd();

  const out: string[] = [];
  let file: string | undefined;
  for (const row of rows) {
    if (row.file !== file) {
      if (file !== undefined) out.push("");
      file = row.file;
      out.push(file, line(header));
    }
    out.push(line(row.cells));
  }
  out.push(...unmodelledPackages(points), "", inventorySummary(points));
  return out.join("\n") + "\n";
}

/** The unmodelled packages restricted data reaches, each with its call sites: what to vet, model or list as local. */
function unmodelledPackages(points: EgressPoint[]): string[] {
  const byPackage = new Map<string, EgressPoint[]>();
  for (const p of points) {
    if (p.package === undefined || p.dataClasses.length === 0) continue;
    byPackage.set(p.package, [...(byPackage.get(p.package) ?? []), p]);
  }
  if (byPackage.size === 0) return [];
  const out = ["", `Unmodelled packages receiving restricted data (${byPackage.size}): model each, or list it in packages.local if it keeps data in the process`];
  for (const [name, calls] of [...byPackage].sort(([a], [b]) => cmp(a, b))) {
    const classes = [...new Set(calls.flatMap((c) => c.dataClasses))].sort();
    out.push(`  ${terminalSafe(name)}  ${calls.length} call site(s), ${classes.map(terminalSafe).join(", ")}`);
    for (const c of calls) {
      const where = `${c.location.file}:${c.location.startLine}:${c.location.startColumn}`;
      out.push(`    ${terminalSafe(where)}  ${terminalSafe(c.label)}  ${c.dataClasses.map(terminalSafe).join(", ")}`);
    }
  }
  return out;
}

/** `vetted`, `NOT VETTED`; for a host vetted for some classes only, which: `vetted for email-address`. */
function verdict(point: EgressPoint): string {
  if (!point.vettedFor) return point.vetted ? "vetted" : "NOT VETTED";
  const classes = point.vettedFor.map(terminalSafe).join(", ");
  return point.vetted ? `vetted for ${classes}` : `NOT VETTED (only for ${classes})`;
}

/** Where a point sends its data, in words: the URL or host, why it is unresolved, or "-". */
export function destinationText(destination: Destination): string {
  switch (destination.status) {
    case "resolved":
      return destination.url ?? destination.host;
    case "unresolved":
      return /^destination could not be resolved/i.test(destination.reason)
        ? destination.reason
        : `unresolved (${destination.reason})`;
    case "none":
      return "-";
    case "same-origin":
      return `same origin (${destination.path})`;
  }
}

/** The closing line: counts by verdict and kind (no text from scanned code). */
export function inventorySummary(points: readonly EgressPoint[]): string {
  const vetted = points.filter((p) => p.vetted).length;
  const reached = points.filter((p) => !p.vetted && p.dataClasses.length > 0).length;
  const unresolved = points.filter((p) => p.destination.status === "unresolved").length;
  const kinds = new Map<string, number>();
  for (const p of points) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
  const byKind = [...kinds]
    .sort(([a], [b]) => cmp(a, b))
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  return (
    `${points.length} egress point(s): ${vetted} vetted, ${points.length - vetted} not vetted ` +
    `(${reached} reached by restricted data), ${unresolved} with an unresolved destination · by kind: ${byKind}`
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
