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

// The narrow program is the closure of the redone files' imports (for a root module, nearly the whole project), but the
// checker's answers follow only some of them: it binds a file when it first reaches it. What the global scope holds
// (scripts, declaration files, augmentations, JavaScript files) is bound up front, as the whole program's checker does.
const LAZY = {
  "src/users/notify.ts": `import { formatContact, type Contact } from "../shared";
import { audit } from "../audit/log";
export function notify(user: Contact) {
  const line = formatContact(user.phone);
  audit(line.text);
  return [line, user.region, APP_NAME] as const;
}
`,
  "src/shared/index.ts": `export * from "./format";\nexport * from "./contact";\n`,
  "src/shared/format.ts": `import { heavy } from "../heavy/tables";
export function formatContact(value: string): { text: string; length: number } {
  return { text: value, length: heavy.length };
}
`,
  "src/shared/contact.ts": `export interface Contact { phone: string }\n`,
  // an augmentation of the contact module, in a module nothing imports: merged when the checker is created
  "src/shared/region.ts": `export {};
declare module "./contact" {
  interface Contact { region: "eu" | "us" }
}
`,
  "src/audit/log.ts": `export function audit(text: string): void { void text; }\n`,
  // reached by the program (format.ts imports it), never by an answer about notify.ts
  "src/heavy/tables.ts": `export const heavy = [1, 2, 3];\n`,
  "src/globals.ts": `declare const APP_NAME: "gateway";\n`,
};

function bound(workspace: Workspace, file: string): boolean {
  const sf = workspace.loaded.find((f) => f.path === file)!.sourceFile;
  return (sf as unknown as { locals?: unknown }).locals !== undefined;
}

describe("the narrow checker binds the files its answers reach", () => {
  it("answers as the whole program's checker, augmentation and global script included, binding only what it reached", () => {
    const whole = memoryWorkspace("/project", LAZY);
    const narrow = narrowChecker(memoryWorkspace("/project", LAZY), () => new Set(["src/users/notify.ts"]));
    for (const text of ["line", "[line, user.region, APP_NAME] as const", "formatContact", "audit(line.text)", "user"]) {
      expect(typeText(narrow.workspace, "src/users/notify.ts", text)).toBe(typeText(whole, "src/users/notify.ts", text));
    }
    expect(typeText(narrow.workspace, "src/users/notify.ts", "user.region")).toBe('"eu" | "us"');
    expect(narrow.escaped()).toBe(false);
    // the barrel and what its `export *` names, the augmentation: reached; the module format.ts imports: not yet
    for (const file of ["src/users/notify.ts", "src/shared/index.ts", "src/shared/format.ts", "src/shared/contact.ts", "src/shared/region.ts", "src/audit/log.ts"]) {
      expect(bound(narrow.workspace, file), file).toBe(true);
    }
    expect(bound(narrow.workspace, "src/heavy/tables.ts")).toBe(false);
    // a question about a node of a program file the answers had not reached binds it first, and is answered the same
    expect(typeText(narrow.workspace, "src/shared/format.ts", "heavy.length")).toBe(typeText(whole, "src/shared/format.ts", "heavy.length"));
    expect(typeText(narrow.workspace, "src/heavy/tables.ts", "heavy")).toBe("number[]");
    expect(bound(narrow.workspace, "src/heavy/tables.ts")).toBe(true);
    expect(narrow.escaped()).toBe(false);
  });
});
