import { describe, expect, it } from "vitest";
import type { Flow } from "../../src/vocabulary/flow.js";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";
import { markdownCode, markdownMessage, markdownText } from "../../src/report/markdown-safe.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { GATEWAY_FILES, gatewayEgress, gatewayFlows, locate, makeResult, makeWorkspace } from "../support/hand-made.js";
import { mermaidBlocks, parseMermaidFlowchart } from "../support/mermaid-flowchart.js";

const rules = loadRuleCatalog();
const ws = makeWorkspace(GATEWAY_FILES);
const result = makeResult(ws, gatewayFlows(ws), rules);

describe("renderMarkdown()", () => {
  const md = renderMarkdown(result);

  it("summarises new findings with collapsed paths, counts and policy changes (snapshot)", () => {
    expect(md).toMatchSnapshot();
  });

  it("says how many budgets the analysis reached, which the PR's reader has no other way to see", () => {
    expect(md).not.toContain("budgets");
    const note = (i: number) => ({ id: i % 2 ? "budget-facts" : "budget-scc", level: "warning" as const, message: `cut in f${i}` });
    const text = renderMarkdown({ ...result, notifications: Array.from({ length: 12 }, (_, i) => note(i)) });
    expect(text).toContain("> ℹ️ The analysis reached its budgets in 12 place(s): it approximated there and may miss paths through those functions");
  });

  it("counts suppressed, unchanged and fixed findings without listing them", () => {
    const withBaseline = makeResult(ws, gatewayFlows(ws), rules);
    const [unjustified, ip1, ip2] = withBaseline.findings;
    unjustified!.baselineState = "new";
    ip1!.baselineState = "unchanged";
    ip2!.baselineState = "absent";
    const text = renderMarkdown(withBaseline);
    expect(text).toContain("· 2 new · 1 unchanged · 1 fixed · 1 suppressed");
    expect(text).not.toContain("src/debug.ts:3`");
    expect(text).not.toContain("src/debug.ts:5`");
    expect(text).toContain("#### Policy and suppression changes (1)");
  });

  it("stays within its size cap and says how many findings it cut", () => {
    const many: Flow[] = [];
    const base = gatewayFlows(ws)[0]!;
    // 60 doors: one sink argument reached through 60 different callees.
    for (let i = 0; i < 60; i++) many.push({ ...base, sink: { ...base.sink, callee: `lib#call${String(i).padStart(2, "0")}` } });
    const big = makeResult(ws, many, rules);
    const capped = renderMarkdown(big, { maxLength: 4000 });
    expect(capped.length).toBeLessThanOrEqual(4000);
    const shown = capped.split("\n").filter((l) => l.startsWith("- ")).length;
    const open = big.findings.filter((f) => !f.suppression).length; // 60 leaks and the unjustified suppression
    expect(shown).toBeGreaterThan(0);
    expect(capped).toContain(`_…and ${open - shown} more not shown here (size limit)`);
  });

  it("cannot be steered by hostile strings in scanned code", () => {
    const hostile = "<img src=x onerror=alert(1)> @octocat #12 [click](https://evil.example) **bold** ``` | www.evil.example";
    const flow = gatewayFlows(ws)[0]!;
    const evil = makeResult(ws, [{ ...flow, source: { ...flow.source, expression: hostile, reason: hostile }, steps: flow.steps.map((s) => ({ ...s, message: hostile })) }], rules);
    const text = renderMarkdown(evil);
    // Code spans are inert (CommonMark: a run of n backticks closes only at a run of exactly n); check the rest.
    const prose = text.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
    expect(prose).not.toMatch(/<img/);
    expect(prose).not.toMatch(/(?<!\\)\]\(/);
    expect(prose).not.toMatch(/(?<!\\)\*\*bold/);
    expect(prose).not.toContain("https://evil");
    expect(prose).not.toContain("@octocat");
    expect(prose).not.toContain("#12");
    expect(prose).toContain("&lt;img src=x onerror=alert(1)&gt;"); // the step messages: shown, as text
  });
});

describe("markdown escaping", () => {
  it("keeps code spans closed whatever backticks the code holds", () => {
    expect(markdownCode("a`b")).toBe("``a`b``");
    expect(markdownCode("`x`")).toBe("`` `x` ``");
    expect(markdownCode("line1\nline2")).toBe("`line1 line2`");
  });

  it("turns flowgate's quoted code into code spans and escapes the prose around it", () => {
    expect(markdownMessage("data from `user.phone` reaches <b>")).toBe("data from `user.phone` reaches &lt;b&gt;");
    expect(markdownMessage("odd ` backtick")).toBe("odd \\` backtick");
    expect(markdownText("a_b*c [d] ~e~ & f@x.y")).toBe("a\\_b\\*c \\[d\\] \\~e\\~ &amp; f@&#8203;x.y");
  });

  it("works on a real source location, too", () => {
    expect(locate(ws, "src/notify.ts", "body", 1).startLine).toBe(9);
  });
});

describe("renderMarkdown() data map", () => {
  const withEgress = () => makeResult(ws, gatewayFlows(ws), rules, { egress: gatewayEgress(ws) });

  it("is left out of a plain scan's summary", () => {
    expect(renderMarkdown(withEgress())).not.toContain("```mermaid");
  });

  it("is included, collapsed, when the update makes data reach a door, with that door marked 🆕", () => {
    const review = withEgress();
    for (const f of review.findings) f.baselineState = "unchanged";
    const changed = review.findings.find((f) => f.ruleId === "leak-to-network")!;
    changed.baselineState = "updated";
    const text = renderMarkdown(review);
    const start = text.indexOf("<details><summary>Data map: ");
    expect(start).toBeGreaterThan(0);
    const section = text.slice(start, text.indexOf("</details>", start));
    const [block] = mermaidBlocks(section);
    const chart = parseMermaidFlowchart(block!);
    const marked = [...chart.nodes.values()].filter((n) => n.label.startsWith("🆕"));
    expect(marked.map((n) => n.label)).toEqual(["🆕 network · axios.post"]);
    // the changed door is drawn first, and the unchanged ones are still there
    expect(marked[0]!.id).toBe("d0");
    expect([...chart.nodes.values()].filter((n) => /^d\d+$/.test(n.id)).length).toBeGreaterThan(1);
  });

  it("is not included when the update changes no door (only unchanged findings)", () => {
    const review = withEgress();
    for (const f of review.findings) f.baselineState = "unchanged";
    expect(renderMarkdown(review)).not.toContain("Data map");
  });
});
