import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { keepingSymbols } from "../../src/workspace/kept-symbols.js";
import { memoryWorkspace } from "../support/memory-workspace.js";

// The checker keeps its answer to getSymbolAtLocation per node (kept-symbols.ts): every node is resolved once, and the
// answers are the ones a checker that keeps nothing gives — found symbols, and the reads that resolve to nothing (a
// member of a receiver typed `any`, a name no scope declares), which the checker itself works out again at every question.

const FILES = {
  "src/users.ts": `import { client } from "missing-package";
export interface User { email: string; profile: { phone: string } }
export function notify(user: User, ctx) {
  const line = user.profile.phone;
  ctx.state.auth.user.send(line, user.email);
  client.post(line);
  return undeclaredGlobal.value + line;
}
`,
};

function namesIn(sf: ts.SourceFile): ts.Node[] {
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) nodes.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return nodes;
}

/** A fresh checker over the files whose getSymbolAtLocation counts the questions that reach it. */
function countedChecker(): { checker: ts.TypeChecker; sf: ts.SourceFile; asked: Map<ts.Node, number> } {
  const workspace = memoryWorkspace("/project", FILES);
  const raw = workspace.program().getTypeChecker();
  const sf = workspace.files[0]!.sourceFile;
  const asked = new Map<ts.Node, number>();
  const inner = raw.getSymbolAtLocation.bind(raw);
  raw.getSymbolAtLocation = (node) => {
    asked.set(node, (asked.get(node) ?? 0) + 1);
    return inner(node);
  };
  return { checker: raw, sf, asked };
}

describe("the checker's kept symbols", () => {
  it("asks the checker once per node, however often a node is asked about", () => {
    const { checker, sf, asked } = countedChecker();
    const kept = keepingSymbols(checker);
    const names = namesIn(sf);
    for (let round = 0; round < 3; round++) for (const name of names) kept.getSymbolAtLocation(name);
    expect(asked.size).toBe(names.length);
    expect([...asked.values()].every((count) => count === 1)).toBe(true);
  });

  it("answers as a checker that keeps nothing, found symbols and nothing found alike", () => {
    const { checker: plain, sf: plainFile } = countedChecker();
    const { checker, sf } = countedChecker();
    const kept = keepingSymbols(checker);
    const shown = (symbol: ts.Symbol | undefined): string =>
      symbol === undefined ? "none" : `${symbol.name} ${symbol.declarations?.map((d) => `${ts.SyntaxKind[d.kind]}@${d.pos}`).join(",") ?? ""}`;
    const expected = namesIn(plainFile).map((name) => `${name.getText(plainFile)}: ${shown(plain.getSymbolAtLocation(name))}`);
    for (let round = 0; round < 2; round++) {
      expect(namesIn(sf).map((name) => `${name.getText(sf)}: ${shown(kept.getSymbolAtLocation(name))}`)).toEqual(expected);
    }
    // the reads this is for: a member of a receiver typed `any`, and a name no scope declares, resolve to nothing
    expect(expected).toContain("auth: none");
    expect(expected).toContain("undeclaredGlobal: none");
    expect(expected.some((line) => line.startsWith("phone: phone PropertySignature@"))).toBe(true);
  });

  it("is what the workspace's checker is", () => {
    const workspace = memoryWorkspace("/project", FILES);
    const checker = workspace.checker();
    const sf = workspace.files[0]!.sourceFile;
    const auth = namesIn(sf).find((name) => name.getText(sf) === "auth")!;
    // the program's own checker is the kept one: asking it again through either gives the same answer, kept
    expect(checker).toBe(workspace.program().getTypeChecker());
    expect(checker.getSymbolAtLocation(auth)).toBeUndefined();
  });
});
