import { describe, expect, it, vi } from "vitest";
import { analyzeFiles, flowLines } from "../support/engine-harness.js";

// Counts the facts given the step of a declaration (`assigned to \`expr\``): the work the engine does for it.
const stepped = vi.hoisted(() => ({ byMessage: new Map<string, number>() }));
vi.mock("../../src/dataflow/facts.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/dataflow/facts.js")>();
  return {
    ...original,
    withStep: (...args: Parameters<typeof original.withStep>) => {
      const message = args[1]?.message;
      if (message !== undefined) stepped.byMessage.set(message, (stepped.byMessage.get(message) ?? 0) + 1);
      return original.withStep(...args);
    },
  };
});

/**
 * A recursive-descent parser's idiom (jade's, vendored by wekan): the token state on `this`, a method that returns a node
 * built around it, and `var expr = this.parseExpr()` in the method that collects the nodes. The call's result is the
 * callee's summary with the caller's tree grafted at its symbolic fact, deeper than the field depth; the local keeps
 * it cut at the field depth and capped per path.
 */
function parser(leaves: number): string {
  const fields = Array.from({ length: leaves }, (_, i) => `a${i}: user.phone`).join(", ");
  return [
    "export class Parser {",
    "  tok: any;",
    "  parseExpr() {",
    "    return { node: { body: { item: this.tok } } };",
    "  }",
    "  block(user: any) {",
    `    this.tok = { v: { w: { ${fields} } } };`,
    "    var expr = this.parseExpr();",
    "    console.log(expr);",
    "  }",
    "}",
    "",
  ].join("\n");
}

describe("a declaration of a call's deep result", () => {
  it("steps only what the local keeps, and finds the same flow", () => {
    stepped.byMessage.clear();
    const r = analyzeFiles({ "src/parser.ts": parser(20) });
    expect(flowLines(r)).toEqual(["9:phone-number:console.log"]);
    // the result's twenty leaves sit below the field depth: cut into one node and capped to one fact per data class
    // and per symbol root (6 facts stepped over the method's runs) — stepping the whole result first gave the step to
    // every leaf's facts (83)
    const assigned = stepped.byMessage.get("assigned to `expr`") ?? 0;
    expect(assigned).toBeGreaterThan(0);
    expect(assigned).toBeLessThanOrEqual(10);
    expect(r.notifications.some((n) => n.id === "budget-facts" && n.message.includes("src/parser.ts#Parser.block"))).toBe(true);
  });
});
