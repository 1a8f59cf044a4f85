import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateProject, writeProject } from "../../bench/generate.js";
import type { EgressPoint } from "../../src/vocabulary/flow.js";
import { scan } from "../../src/index.js";
import type { ScanResult } from "../../src/result.js";
import { MAX_DOOR_NODES, MAX_EDGES, MAX_TEXT, renderDataMap } from "../../src/report/data-map.js";
import { renderInventoryMarkdown } from "../../src/report/inventory-markdown.js";
import { mermaidLabel } from "../../src/report/mermaid-safe.js";
import { mermaidBlocks, parseMermaidFlowchart, type MermaidFlowchart, type MermaidNode } from "../support/mermaid-flowchart.js";
import { FIXTURES_DIR, REPO_ROOT } from "../support/paths.js";
import { runMain } from "../support/run-cli.js";
import { createRepo } from "../diff/support/git-repo.js";

// The data map (`--format inventory-markdown`, and the update summary): what a reviewer reads off the picture.

/** The node a resolved destination is drawn as: its host. */
function hostNode(chart: MermaidFlowchart, point: EgressPoint): MermaidNode | undefined {
  const d = point.destination;
  return d.status === "resolved" ? [...chart.nodes.values()].find((n) => n.label === d.host) : undefined;
}

/** The door nodes with an edge to `destination`. */
function doorsTo(chart: MermaidFlowchart, destination: MermaidNode): MermaidNode[] {
  return chart.edges.filter((e) => e.to === destination.id).map((e) => chart.nodes.get(e.from)!);
}

describe("data map of a small gateway (fixtures/data-map)", () => {
  let result: ScanResult;
  let markdown: string;
  let chart: MermaidFlowchart;
  beforeAll(async () => {
    result = await scan({ root: path.join(FIXTURES_DIR, "data-map") });
    markdown = renderInventoryMarkdown(result);
    const blocks = mermaidBlocks(markdown);
    expect(blocks).toHaveLength(1);
    chart = parseMermaidFlowchart(blocks[0]!);
  });

  it("draws every data class that reaches a door, as the left column", () => {
    const classes = [...new Set(result.egress.flatMap((p) => p.dataClasses))].sort();
    expect(classes).toEqual(["email-address", "ip-address", "phone-number"]);
    const drawn = [...chart.nodes.values()].filter((n) => n.className === "dataClass").map((n) => n.label);
    expect(drawn).toEqual(classes);
  });

  it("shows each resolved destination once, styled vetted only when every door to it is vetted", () => {
    const hosts = new Map<string, boolean>();
    for (const p of result.egress) {
      if (p.destination.status === "resolved") hosts.set(p.destination.host, (hosts.get(p.destination.host) ?? true) && p.vetted);
    }
    expect([...hosts.values()]).toContain(true);
    expect([...hosts.values()]).toContain(false);
    for (const [host, vetted] of hosts) {
      const nodes = [...chart.nodes.values()].filter((n) => n.label === host);
      expect(nodes, host).toHaveLength(1);
      if (vetted) expect(nodes[0]!.className, host).toBe("vetted");
      else expect(["leak", "open"], host).toContain(nodes[0]!.className);
    }
  });

  it("links each data class to the door it reaches: red when the door is not vetted for it, green when it is", () => {
    const resolved = result.egress.filter((p) => p.destination.status === "resolved");
    expect(resolved.filter((p) => p.dataClasses.length > 0).map((p) => p.vetted)).toEqual(expect.arrayContaining([true, false]));
    expect(resolved.some((p) => !p.vetted && p.vettedFor?.length)).toBe(true); // a host vetted for some classes only
    for (const p of resolved) {
      const destination = hostNode(chart, p)!;
      const doors = doorsTo(chart, destination).filter((d) => (d.className === "vetted") === p.vetted);
      expect(doors.length, `${p.label} → ${destination.label}`).toBe(1);
      for (const dataClass of p.dataClasses) {
        const classNode = [...chart.nodes.values()].find((n) => n.className === "dataClass" && n.label === dataClass)!;
        const arrows = chart.edges.filter((e) => e.from === classNode.id && doors.some((d) => d.id === e.to)).map((e) => e.style);
        const vetted = p.vetted || (p.vettedFor?.includes(dataClass) ?? false);
        expect(arrows, `${dataClass} → ${p.label}`).toEqual([expect.stringContaining(vetted ? "stroke:#2e7d32" : "stroke:#c62828")]);
      }
    }
  });

  it("groups hostless doors by client and kind: the console calls are one log door to the logs", () => {
    const logs = [...chart.nodes.values()].find((n) => n.label === "logs")!;
    const doors = doorsTo(chart, logs);
    expect(doors.map((d) => d.label)).toEqual(["log · console.info, console.log"]);
    expect(doors[0]!.className).toBe("leak");
  });

  it("draws a destination that could not be resolved dashed, per kind", () => {
    const unresolved = [...chart.nodes.values()].filter((n) => n.className === "unresolved").map((n) => n.label);
    expect(unresolved.sort()).toEqual(["message queue: destination not resolved", "network: destination not resolved"]);
    for (const node of [...chart.nodes.values()].filter((n) => n.className === "unresolved")) {
      expect(chart.edges.filter((e) => e.to === node.id).every((e) => e.arrow === "-.->")).toBe(true);
    }
  });

  it("shows names from scanned code as text: quotes, backticks, #, %%{…}%%, HTML and non-ASCII cannot become syntax", () => {
    const hostile = [...chart.nodes.values()].find((n) => n.label.includes("контакты"))!;
    expect(hostile.label).toBe('unmodelled-library · crm-sdk.контакты.up`sert"]:::vetted #%%{init}%% <b>');
    expect(hostile.className).toBe("leak");
    const block = mermaidBlocks(markdown)[0]!;
    expect(block).not.toContain("`");
    expect(block).not.toContain("%%");
    expect(block).not.toContain("<b>");
  });

  it("lists every egress point in the table under the map", () => {
    const rows = markdown.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(result.egress.length);
    expect(markdown).toContain("| `src/hostile.ts:13:3` | unmodelled-library | ``crm-sdk.контакты.up`sert\"]:::vetted #%%{init}%% <b>`` |");
  });
});

describe("data map of a 100-door gateway", () => {
  /** n egress points, each to its own host, every third vetted, restricted data reaching most. */
  function manyDoors(n: number): EgressPoint[] {
    return Array.from({ length: n }, (_, i) => ({
      location: { file: `src/m${i}.ts`, startLine: 3, startColumn: 5, endLine: 3, endColumn: 40 },
      kind: i % 5 === 0 ? ("queue" as const) : ("network" as const),
      label: i % 5 === 0 ? "producer.send" : "axios.post",
      callee: i % 5 === 0 ? "kafkajs#Kafka.producer().send" : "axios#default.post",
      destination: { status: "resolved" as const, host: `api-${String(i).padStart(3, "0")}.partner.example` },
      vetted: i % 3 === 0,
      dataClasses: i % 4 === 3 ? [] : [["phone-number", "email-address", "ip-address", "device-id"][i % 4]!],
    }));
  }

  it("draws at most MAX_DOOR_NODES doors, the leaking ones first, and folds the rest into counted 'more' nodes", () => {
    const points = manyDoors(100);
    const map = renderDataMap(points);
    const chart = parseMermaidFlowchart(map.mermaid);
    const doors = [...chart.nodes.keys()].filter((id) => /^d\d+$/.test(id));
    expect(doors).toHaveLength(MAX_DOOR_NODES);
    expect(map.doors).toBe(100);
    expect(map.foldedDoors).toBe(100 - MAX_DOOR_NODES);
    expect(map.foldedPoints).toBe(100 - MAX_DOOR_NODES);
    // Every leaking door is drawn before any vetted or idle one.
    const leaking = points.filter((p) => !p.vetted && p.dataClasses.length > 0).length;
    expect(doors.slice(0, leaking).every((id) => chart.nodes.get(id)!.className === "leak")).toBe(true);
    const more = [...chart.nodes.values()].filter((n) => n.className === "folded");
    const foldedInLabels = more.reduce((n, node) => n + Number(/^\+(\d+) more/.exec(node.label)![1]), 0);
    expect(foldedInLabels).toBe(map.foldedDoors);
    expect(chart.edges.length).toBeLessThanOrEqual(MAX_EDGES);
    expect(map.mermaid.length).toBeLessThanOrEqual(MAX_TEXT);
    const page = renderInventoryMarkdown({ ...emptyResult(), egress: points });
    expect(page).toContain(`_${map.foldedDoors} of 100 door(s) (${map.foldedPoints} call(s)) are folded into the "more" nodes`);
  });

  it("stays within its text budget when every label is long and made of escaped characters", () => {
    const points = manyDoors(100).map((p, i) => ({ ...p, label: `${"<#%>".repeat(30)}${i}`, destination: { status: "resolved" as const, host: `${'"'.repeat(70)}${i}` } }));
    const map = renderDataMap(points);
    expect(map.mermaid.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(parseMermaidFlowchart(map.mermaid).nodes.size).toBeGreaterThan(5);
    expect(map.foldedDoors).toBeGreaterThan(100 - MAX_DOOR_NODES);
  });

  describe("the benchmark's generated gateway", () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-data-map-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("at about 100 egress points renders a map within Mermaid's limits that accounts for every door", async () => {
      writeProject(scratch, generateProject({ lines: 1_400, seed: 11 }));
      const result = await scan({ root: scratch });
      expect(result.egress.length).toBeGreaterThanOrEqual(80);
      expect(result.egress.length).toBeLessThanOrEqual(160);
      const page = renderInventoryMarkdown(result);
      expect(page.length).toBeLessThanOrEqual(60_000);
      const chart = parseMermaidFlowchart(mermaidBlocks(page)[0]!);
      expect(chart.nodes.size).toBeLessThanOrEqual(2 * MAX_DOOR_NODES + 10);
      const map = renderDataMap(result.egress);
      expect([...chart.nodes.keys()].filter((id) => /^d\d+$/.test(id))).toHaveLength(map.doors);
      // Every host the gateway sends to is on the map (nothing is folded at this size).
      expect(map.foldedDoors).toBe(0);
      for (const p of result.egress) {
        if (p.destination.status === "resolved") expect([...chart.nodes.values()].map((n) => n.label)).toContain(p.destination.host);
      }
    });
  });
});

describe("flowgate scan --base … --markdown-summary", () => {
  const AUDIT = `export function audit(user: { phone: string }) {\n  console.log("audit", user.phone);\n}\n`;
  const EXPORT = `export async function exportContact(user: { email: string }) {\n  await fetch("https://crm.partner.example/contacts", { method: "POST", body: user.email });\n}\n`;

  it("adds the data map, collapsed, when the update adds a door, marking that door 🆕 and no other", async () => {
    const repo = createRepo({ "flowgate.config.yaml": "extends: recommended\n", "src/audit.ts": AUDIT });
    const out = mkdtempSync(path.join(os.tmpdir(), "flowgate-data-map-summary-"));
    try {
      repo.git("checkout", "-q", "-b", "update");
      repo.commit("a new door", { "src/export.ts": EXPORT });
      const summary = path.join(out, "summary.md");
      const run = await runMain(["scan", repo.dir, "--base", "main", "--markdown-summary", summary, "--quiet"]);
      expect(run.status).toBe(1);
      const text = readFileSync(summary, "utf8");
      expect(text).toMatch(/<details><summary>Data map: 2 door\(s\) out of the gateway, the ones this update adds or changes marked 🆕<\/summary>\n\n```mermaid\n/);
      const chart = parseMermaidFlowchart(mermaidBlocks(text)[0]!);
      const doors = [...chart.nodes.values()].filter((n) => /^d\d+$/.test(n.id)).map((n) => `${n.label} ${n.className}`);
      expect(doors).toEqual(["🆕 network · fetch leak", "log · console.log leak"]);
      expect([...chart.nodes.values()].filter((n) => n.extraClasses.includes("changed")).map((n) => n.label)).toEqual(["🆕 network · fetch"]);

      // The same update again, with nothing new: no map.
      repo.git("checkout", "-q", "main");
      repo.git("merge", "-q", "update");
      const again = await runMain(["scan", repo.dir, "--base", "HEAD", "--markdown-summary", summary, "--quiet"]);
      expect(again.status).toBe(0);
      expect(readFileSync(summary, "utf8")).not.toContain("mermaid");
    } finally {
      repo.remove();
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("mermaidLabel()", () => {
  it("writes syntax characters as entity codes and keeps other text as written", () => {
    expect(mermaidLabel('a"b')).toBe('"a#34;b"');
    expect(mermaidLabel("x`y#z")).toBe('"x#96;y#35;z"');
    expect(mermaidLabel("%%{init}%% <b>&")).toBe('"#37;#37;#123;init#125;#37;#37; #60;b#62;#38;"');
    expect(mermaidLabel("client[0](x)|y;")).toBe('"client[0](x)|y;"');
    expect(mermaidLabel("téléphone.отправить")).toBe('"téléphone.отправить"');
  });

  it("shows control characters and bidirectional overrides as �, and puts the label on one line", () => {
    expect(mermaidLabel("a\u202eb\u0007c")).toBe('"a\ufffdb\ufffdc"');
    expect(mermaidLabel("line1\n  line2")).toBe('"line1 line2"');
  });

  it("shortens long labels with an ellipsis, counting characters, not UTF-16 units", () => {
    expect(mermaidLabel("😀".repeat(100), 10)).toBe(`"${"😀".repeat(9)}…"`);
  });
});

describe("the strict flowchart reader used above", () => {
  it("refuses what flowgate must never write", () => {
    const head = "flowchart LR\n  classDef x fill:#fff\n";
    expect(() => parseMermaidFlowchart(`${head}  a0["ok"]:::x\n`)).not.toThrow();
    expect(() => parseMermaidFlowchart(`${head}  a0["a"b"]:::x\n`)).toThrow(/subset/);
    expect(() => parseMermaidFlowchart(`${head}  a0["a\`b"]:::x\n`)).toThrow(/subset/);
    expect(() => parseMermaidFlowchart(`${head}  a0["a#b"]:::x\n`)).toThrow(/subset/);
    expect(() => parseMermaidFlowchart(`${head}  a0["ok"]:::y\n`)).toThrow(/not defined/);
    expect(() => parseMermaidFlowchart(`${head}  a0["ok"]:::x\n  a0 --> b1\n`)).toThrow(/not declared/);
    expect(() => parseMermaidFlowchart(`${head}  end["ok"]:::x\n`)).toThrow(/reserved/);
    expect(() => parseMermaidFlowchart(`${head}  a0["ok"]:::x\n  a0["again"]:::x\n`)).toThrow(/twice/);
    expect(() => parseMermaidFlowchart(`${head}  a0["ok"]:::x\n  a0 --> a0\n  linkStyle 1 stroke:#fff\n`)).toThrow(/no edge 1/);
  });

  it("accepts the example in docs/vetting.md, which shows what the data map looks like", () => {
    const blocks = mermaidBlocks(readFileSync(path.join(REPO_ROOT, "docs/vetting.md"), "utf8"));
    expect(blocks).toHaveLength(1);
    expect(parseMermaidFlowchart(blocks[0]!).nodes.size).toBe(8);
  });
});

function emptyResult(): ScanResult {
  return {
    root: "/scan",
    findings: [],
    egress: [],
    notifications: [],
    stats: { filesScanned: 100, filesSkipped: 0, functionsAnalysed: 0, summariesReused: 0, unresolvedCalls: 0, budgetHits: 0 },
    rules: [],
    policyFiles: [],
  };
}
