import { describe, expect, it } from "vitest";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";
import { terminalSafe } from "../../src/report/terminal-safe.js";
import { renderText } from "../../src/report/text.js";
import { GATEWAY_FILES, gatewayFlows, makeResult, makeWorkspace } from "../support/hand-made.js";

const rules = loadRuleCatalog();
const ws = makeWorkspace(GATEWAY_FILES);
const result = makeResult(ws, gatewayFlows(ws), rules);

describe("renderText()", () => {
  const plain = renderText(result, { color: false });

  it("renders findings grouped by file with code frames, numbered paths and a summary (snapshot)", () => {
    expect(plain).toMatchSnapshot();
  });

  it("says why each source was classified and counts per data class and rule", () => {
    expect(plain).toContain("The phone number in `user.msisdn` (named like a phone number) is sent by `axios.post`");
    expect(plain).toContain("The IP address in `req.ip` is logged by `console.debug`.");
    expect(plain.trimEnd().split("\n").at(-1)).toBe(
      "✖ 4 findings (3 errors, 1 warning), 1 suppressed · by data class: ip-address 2, phone-number 1 · by rule: " +
        "leak-to-log 2, leak-to-network 1, suppression-unjustified 1",
    );
  });

  it("writes no escape sequences without colour, and colours with it", () => {
    expect(plain).not.toContain("\u001b");
    expect(renderText(result, { color: true })).toContain("\u001b[31m");
  });

  it("escapes control characters and bidi overrides from scanned code, keeping carets under the code", () => {
    // src/debug.ts line 5 holds a real ESC and a U+202E inside a string literal.
    expect(plain).toContain('console.debug("[x](1) \\x1b[31m <b>hi</b> \\u202e", req.ip);');
    expect(plain).not.toContain("\u202e");
    const lines = plain.split("\n");
    const code = lines.findIndex((l) => l.includes("> 5 |"));
    expect(lines[code + 1]!.indexOf("^")).toBe(lines[code]!.indexOf("req.ip);"));
  });

  it("counts budget notes by id past ten, keeps every other notification listed, and lists all with --verbose", () => {
    const budget = (i: number, id: string) => ({ id, level: "warning" as const, message: `cut in src/f${i}.ts#f${i}` });
    const notes = [
      ...Array.from({ length: 8 }, (_, i) => budget(i, "budget-facts")),
      ...Array.from({ length: 3 }, (_, i) => budget(8 + i, "budget-scc")),
      { id: "parse-error", level: "error" as const, message: "src/broken.ts does not parse" },
    ];
    const many = { ...result, notifications: notes };
    const grouped = renderText(many, { color: false });
    expect(grouped).toContain("src/broken.ts does not parse  parse-error");
    expect(grouped).toContain("the analysis reached its budgets in 11 places (budget-facts 8, budget-scc 3)");
    expect(grouped).not.toContain("src/f0.ts#f0");
    const listed = renderText(many, { color: false, verbose: true });
    for (let i = 0; i < 11; i++) expect(listed).toContain(`cut in src/f${i}.ts#f${i}`);
    expect(listed).not.toContain("reached its budgets");
    // ten or fewer are listed as they are
    const few = renderText({ ...result, notifications: notes.slice(1) }, { color: false });
    expect(few).toContain("cut in src/f1.ts#f1");
    expect(few).not.toContain("reached its budgets");
  });

  it("says so when there is nothing to report", () => {
    const clean = makeResult(makeWorkspace({ "a.ts": "export {};\n" }), [], rules);
    expect(renderText(clean, { color: false })).toBe("✔ no findings in 1 file(s)\n");
  });
});

describe("terminalSafe()", () => {
  it("makes C0, DEL, C1 and bidi controls visible and leaves ordinary text alone", () => {
    expect(terminalSafe("a\u001b]0;pwned\u0007b\u009bc\u007f\u2066d\ttab ünï")).toBe("a\\x1b]0;pwned\\x07b\\x9bc\\x7f\\u2066d tab ünï");
  });
});
