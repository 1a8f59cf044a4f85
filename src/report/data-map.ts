import type { EgressPoint } from "../vocabulary/flow.js";
import type { SinkKind } from "../vocabulary/sink-kind.js";
import { destinationKey } from "../diff/new-destinations.js";
import { compareLocations } from "../location.js";
import { mermaidLabel } from "./mermaid-safe.js";

/**
 * The data map: a Mermaid flowchart of data classes → doors → destinations, drawn from the egress inventory. A door
 * node is a group of egress points with one destination and kind (the same key update review uses for "new egress
 * destination": the host, or the client of a hostless call such as `console`), split by verdict; so 40 `console.log`
 * calls are one node and a 100-door gateway stays a picture rather than a wall. At most MAX_DOOR_NODES door nodes and
 * MAX_EDGES edges are drawn, the doors that matter most first (not vetted and reached by restricted data); the rest are
 * folded into one "more" node per verdict and counted, never silently dropped.
 */

/** Door nodes drawn before the rest are folded: what still reads as a picture in a PR comment. */
export const MAX_DOOR_NODES = 30;
/** Edges drawn at most: well below Mermaid's own limit (500) and its text limit (50,000 characters). */
export const MAX_EDGES = 200;
/** Characters of Mermaid text at most: GitHub's renderer refuses past 50,000; a comment holds 65,536 in all. */
export const MAX_TEXT = 20_000;

export interface DataMapOptions {
  /** Egress points this update adds or changes: their door nodes are marked 🆕 and drawn before the others. */
  changed?: (point: EgressPoint) => boolean;
}

export interface DataMap {
  /** The flowchart, without the ```mermaid fence. */
  mermaid: string;
  /** Door nodes (groups of egress points) in the inventory, drawn or not. */
  doors: number;
  /** Door nodes folded into "more" nodes, and the egress points in them. */
  foldedDoors: number;
  foldedPoints: number;
  /** A line of markdown telling what the colours and arrows mean. */
  legend: string;
}

type Verdict = "vetted" | "leak" | "open";

interface Door {
  kind: SinkKind;
  destination: Destination;
  verdict: Verdict;
  points: EgressPoint[];
  dataClasses: string[];
  /** Classes every point of the door that they reach is vetted for (a host vetted for some classes only). */
  vettedClasses: Map<string, boolean>;
  changed: boolean;
}

interface Destination {
  key: string;
  label: string;
  unresolved: boolean;
}

// Node styles: a door that is not vetted and that restricted data reaches is a leak (red); one no restricted data
// reaches yet is open (grey); vetted is green. An unresolved destination is dashed: nobody knows where it goes.
const CLASS_DEFS: Record<string, string> = {
  dataClass: "fill:#e8eaf6,stroke:#3949ab,color:#1a237e",
  leak: "fill:#ffebee,stroke:#c62828,color:#b71c1c,stroke-width:2px",
  open: "fill:#f5f5f5,stroke:#757575,color:#424242",
  vetted: "fill:#e8f5e9,stroke:#2e7d32,color:#1b5e20",
  unresolved: "fill:#fff8e1,stroke:#e65100,color:#bf360c,stroke-dasharray:5 3",
  folded: "fill:#fafafa,stroke:#9e9e9e,color:#616161,stroke-dasharray:2 2",
  // Added to a door the update adds or changes, over its verdict's class: the fill keeps the verdict, the border says
  // "this one is new" without relying on an emoji font.
  changed: "stroke:#6a1b9a,stroke-width:4px",
};

const LINK_STYLES = { leak: "stroke:#c62828,stroke-width:2px", vetted: "stroke:#2e7d32,stroke-width:1.5px" };
// What one edge adds to a linkStyle line: its index and a comma.
const LINK_STYLE_CHARS = 4;

const LEGEND =
  "🟥 not vetted, restricted data reaches it · ⬜ not vetted, no restricted data seen · 🟩 vetted · " +
  "dashed: destination not resolved · red arrow: restricted data the door is not vetted for, green: data it is vetted for · " +
  "🆕 (purple border): added or changed by this update";

// Call names listed in a door's label before the rest are counted.
const CALLS_IN_LABEL = 3;

// What a door without a host sends to, by kind.
const HOSTLESS: Record<SinkKind, string> = {
  network: "network",
  log: "logs",
  telemetry: "telemetry",
  "third-party": "third-party SDK",
  queue: "message queue",
  socket: "socket",
  storage: "storage",
  process: "child process",
  "unmodelled-library": "unmodelled package",
};

export function renderDataMap(points: readonly EgressPoint[], options: DataMapOptions = {}): DataMap {
  const doors = groupDoors(points, options.changed ?? (() => false));
  const head = ["flowchart LR", ...Object.entries(CLASS_DEFS).map(([name, style]) => `  classDef ${name} ${style}`)];
  const dataClasses = [...new Set(doors.flatMap((d) => d.dataClasses))].sort();
  const classIds = new Map(dataClasses.map((dataClass, i) => [dataClass, `c${i}`]));
  // Data class nodes first, in name order, so they line up as the left column.
  const nodes = dataClasses.map((dataClass) => `  ${classIds.get(dataClass)}[${mermaidLabel(dataClass)}]:::dataClass`);
  const links: string[] = [];
  // Arrows carrying restricted data are coloured by the door's verdict (linkStyle, by edge index): plain thick arrows
  // from every class to every door turn a busy map into a black mesh, colour keeps it readable.
  const dataLinks: Record<"leak" | "vetted", number[]> = { leak: [], vetted: [] };
  const dataLink = (vetted: boolean, index: number) => dataLinks[vetted ? "vetted" : "leak"].push(index);

  // Doors in priority order while the node, edge and text budgets last; once one is folded, so is every later one.
  // Room is kept for the "more" nodes: one per verdict, with an edge from each data class.
  const reserve = { edges: 3 * dataClasses.length, text: 3 * (100 + (12 + LINK_STYLE_CHARS) * dataClasses.length) + 200 };
  let text = length(head) + length(nodes);
  const destinationIds = new Map<string, string>();
  const folded: Door[] = [];
  for (const [index, door] of doors.entries()) {
    const id = `d${index}`;
    const add = [`  ${id}[${mermaidLabel(doorLabel(door), 90)}]:::${door.verdict}`];
    const edges = door.dataClasses.map((dataClass) => `  ${classIds.get(dataClass)} --> ${id}`);
    let target = destinationIds.get(door.destination.key);
    if (target === undefined) {
      target = `h${destinationIds.size}`;
      const style = door.destination.unresolved ? "unresolved" : destinationVerdict(doors, door.destination.key);
      add.push(`  ${target}[${mermaidLabel(door.destination.label)}]:::${style}`);
    }
    edges.push(`  ${id} ${door.destination.unresolved ? "-.->" : "-->"} ${target}`);
    const fits =
      folded.length === 0 &&
      index < MAX_DOOR_NODES &&
      links.length + edges.length <= MAX_EDGES - reserve.edges &&
      text + length(add) + length(edges) + LINK_STYLE_CHARS * edges.length <= MAX_TEXT - reserve.text;
    if (!fits) {
      folded.push(door);
      continue;
    }
    destinationIds.set(door.destination.key, target);
    nodes.push(...add);
    door.dataClasses.forEach((dataClass, i) => dataLink(door.verdict === "vetted" || door.vettedClasses.get(dataClass) === true, links.length + i));
    links.push(...edges);
    text += length(add) + length(edges) + LINK_STYLE_CHARS * edges.length;
  }
  // One "more" node per verdict for what was folded, with the data classes that reach it.
  for (const verdict of ["leak", "open", "vetted"] as const) {
    const group = folded.filter((d) => d.verdict === verdict);
    if (group.length === 0) continue;
    const id = `f${verdict}`;
    const calls = group.reduce((n, d) => n + d.points.length, 0);
    nodes.push(`  ${id}[${mermaidLabel(`+${group.length} more ${VERDICT_WORDS[verdict]} door(s), ${calls} call(s)`)}]:::folded`);
    for (const dataClass of [...new Set(group.flatMap((d) => d.dataClasses))].sort()) {
      dataLink(verdict === "vetted", links.length);
      links.push(`  ${classIds.get(dataClass)} --> ${id}`);
    }
  }
  const changed = doors.slice(0, doors.length - folded.length).flatMap((door, index) => (door.changed ? [`d${index}`] : []));
  if (changed.length > 0) links.push(`  class ${changed.join(",")} changed`);
  for (const [verdict, indexes] of Object.entries(dataLinks)) {
    if (indexes.length > 0) links.push(`  linkStyle ${indexes.join(",")} ${LINK_STYLES[verdict as keyof typeof dataLinks]}`);
  }
  return {
    mermaid: [...head, ...nodes, ...links].join("\n") + "\n",
    doors: doors.length,
    foldedDoors: folded.length,
    foldedPoints: folded.reduce((n, d) => n + d.points.length, 0),
    legend: LEGEND,
  };
}

function length(lines: string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}

const VERDICT_WORDS: Record<Verdict, string> = { leak: "leaking", open: "unvetted", vetted: "vetted" };

/**
 * Egress points grouped into doors (destination × kind × verdict), in drawing order: changed by the update first, then
 * leaking, vetted doors that data reaches, open ones, idle vetted ones; ties by kind, destination and first place.
 */
function groupDoors(points: readonly EgressPoint[], changed: (point: EgressPoint) => boolean): Door[] {
  const groups = new Map<string, Door>();
  for (const point of [...points].sort((a, b) => compareLocations(a.location, b.location))) {
    const verdict: Verdict = point.vetted ? "vetted" : point.dataClasses.length > 0 ? "leak" : "open";
    // A door is one verdict: "open" points join the door's leaking points under "leak" (same calls, same place).
    const key = JSON.stringify([destinationKey(point), point.vetted]);
    let door = groups.get(key);
    if (door === undefined) {
      door = { kind: point.kind, destination: destinationOf(point), verdict, points: [], dataClasses: [], vettedClasses: new Map(), changed: false };
      groups.set(key, door);
    }
    door.points.push(point);
    if (verdict === "leak") door.verdict = "leak";
    door.dataClasses = [...new Set([...door.dataClasses, ...point.dataClasses])].sort();
    for (const dataClass of point.dataClasses) {
      const vetted = point.vetted || (point.vettedFor?.includes(dataClass) ?? false);
      door.vettedClasses.set(dataClass, (door.vettedClasses.get(dataClass) ?? true) && vetted);
    }
    door.changed ||= changed(point);
  }
  const rank = (d: Door) => (d.verdict === "leak" ? 0 : d.verdict === "vetted" && d.dataClasses.length > 0 ? 1 : d.verdict === "open" ? 2 : 3);
  return [...groups.values()].sort(
    (a, b) =>
      Number(b.changed) - Number(a.changed) ||
      rank(a) - rank(b) ||
      cmp(a.kind, b.kind) ||
      cmp(a.destination.label, b.destination.label) ||
      compareLocations((a.points[0] as EgressPoint).location, (b.points[0] as EgressPoint).location),
  );
}

function destinationOf(point: EgressPoint): Destination {
  const d = point.destination;
  if (d.status === "resolved") return { key: `host ${d.host}`, label: d.host, unresolved: false };
  if (d.status === "unresolved") return { key: `unresolved ${point.kind}`, label: `${HOSTLESS[point.kind]}: destination not resolved`, unresolved: true };
  if (d.status === "same-origin") return { key: "same-origin", label: "the same origin (the gateway's own routes)", unresolved: false };
  const label = point.kind === "unmodelled-library" && point.package !== undefined ? `package ${point.package}` : HOSTLESS[point.kind];
  return { key: `none ${point.kind} ${label}`, label, unresolved: false };
}

/** A destination is vetted when every door to it is (a host may be vetted for one client and not another). */
function destinationVerdict(doors: Door[], key: string): Verdict {
  const to = doors.filter((d) => d.destination.key === key);
  if (to.every((d) => d.verdict === "vetted")) return "vetted";
  return to.some((d) => d.verdict === "leak") ? "leak" : "open";
}

/** "🆕 network · axios.post ×2, fetch (+1 more)". */
function doorLabel(door: Door): string {
  const calls = new Map<string, number>();
  for (const p of door.points) calls.set(p.label, (calls.get(p.label) ?? 0) + 1);
  const names = [...calls].sort(([a, m], [b, n]) => n - m || cmp(a, b));
  const listed = names.slice(0, CALLS_IN_LABEL).map(([name, n]) => (n > 1 ? `${name} ×${n}` : name));
  const more = names.length > CALLS_IN_LABEL ? ` (+${names.length - CALLS_IN_LABEL} more)` : "";
  return `${door.changed ? "🆕 " : ""}${door.kind} · ${listed.join(", ")}${more}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
