import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { narrowChecker } from "../../src/workspace/narrow-checker.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import { memoryWorkspace } from "../support/memory-workspace.js";

// A cached analysis asks the checker about the files it redoes: a program over those, what they import and what every
// file sees without an import (narrow-checker.ts) must answer as the whole program's checker does, and a question
// beyond it must be noticed (the analysis is then done again over the whole program).

const FILES = {
  // the redone file: its types come from an import (through a barrel) and from a global script
  "src/users/notify.ts": `import { formatContact } from "../shared";
export function notify(user: { phone: string }) {
  const line = formatContact(user.phone);
  return [line, APP_NAME] as const;
}
`,
  "src/shared/index.ts": `export * from "./format";\n`,
  "src/shared/format.ts": `export function formatContact(value: string): { text: string; length: number } {
  return { text: value, length: value.length };
}
`,
  "src/globals.ts": `declare const APP_NAME: "gateway";\n`,
  // a file the redone one does not reach
  "src/orders/order.ts": `export const total = [1, 2].map((n) => n * 2);\n`,
};

function workspaceOf(): Workspace {
  return memoryWorkspace("/project", FILES);
}

function node(workspace: Workspace, file: string, text: string): ts.Node {
  const sf = workspace.files.find((f) => f.path === file)!.sourceFile;
  const position = sf.text.indexOf(text);
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (n.getStart(sf) === position && n.getText(sf) === text) found ??= n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found!;
}

function typeText(workspace: Workspace, file: string, text: string): string {
  const checker = workspace.checker();
  return checker.typeToString(checker.getTypeAtLocation(node(workspace, file, text)));
}

describe("the narrow checker of a cached analysis", () => {
  it("answers about a redone file as the whole program's checker, from its imports and the global scripts", () => {
    const whole = workspaceOf();
    const narrow = narrowChecker(workspaceOf(), () => new Set(["src/users/notify.ts"]));
    for (const text of ["line", "[line, APP_NAME] as const", "formatContact"]) {
      expect(typeText(narrow.workspace, "src/users/notify.ts", text)).toBe(typeText(whole, "src/users/notify.ts", text));
    }
    expect(typeText(narrow.workspace, "src/users/notify.ts", "line")).toBe("{ text: string; length: number; }");
    expect(narrow.escaped()).toBe(false);
  });

  it("notices a question about a file outside its program, and answers it from the whole program", () => {
    const whole = workspaceOf();
    const narrow = narrowChecker(workspaceOf(), () => new Set(["src/users/notify.ts"]));
    expect(typeText(narrow.workspace, "src/users/notify.ts", "line")).toBe("{ text: string; length: number; }");
    expect(narrow.escaped()).toBe(false);
    expect(typeText(narrow.workspace, "src/orders/order.ts", "total")).toBe(typeText(whole, "src/orders/order.ts", "total"));
    expect(narrow.escaped()).toBe(true);
  });
});
