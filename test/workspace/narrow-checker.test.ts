import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { narrowChecker } from "../../src/workspace/narrow-checker.js";
import { seenWithoutImport, seenWithoutImportMemo } from "../../src/workspace/seen-without-import.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import { memoryWorkspace } from "../support/memory-workspace.js";

// A cached analysis asks the checker about the files it redoes: a checker that reads up front what every file sees
// without an import and any other file when its answers reach it (narrow-checker.ts, lazy-checker.ts) must answer as
// the whole program's checker does, and a question beyond the loaded files must be noticed (the analysis is then done
// again over the whole program).

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

  it("answers about any loaded file, reading it then; a tree parsed outside the workspace escapes to the whole program", () => {
    const whole = workspaceOf();
    const narrow = narrowChecker(workspaceOf(), () => new Set(["src/users/notify.ts"]));
    expect(typeText(narrow.workspace, "src/users/notify.ts", "line")).toBe("{ text: string; length: number; }");
    expect(bound(narrow.workspace, "src/orders/order.ts")).toBe(false);
    expect(typeText(narrow.workspace, "src/orders/order.ts", "total")).toBe(typeText(whole, "src/orders/order.ts", "total"));
    expect(narrow.escaped()).toBe(false);
    const outside = ts.createSourceFile("/project/src/orders/order.ts", FILES["src/orders/order.ts"], ts.ScriptTarget.Latest, true);
    const declaration = (outside.statements[0] as ts.VariableStatement).declarationList.declarations[0]!;
    narrow.workspace.checker().getTypeAtLocation(declaration.name);
    expect(narrow.escaped()).toBe(true);
  });
});

// The redone files' imports reach, through other files, nearly the whole project for a root module, but the checker's
// answers follow only some of them: it reads (parses, binds, resolves) a file when it first reaches it. What the global
// scope holds (scripts, declaration files, augmentations, JavaScript files) is read up front, as the whole program's
// checker does.
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

// The constructs by which a file's answers depend on another file, each answered as the whole program answers it, on a
// workspace whose files are parsed only when read: tsconfig `paths`, `import type`, `import()` in a type and as a call,
// an augmentation through an alias in a file nothing imports, `/// <reference path>` to a declaration file, a lib named
// by `/// <reference lib>` in a file nothing imports, a JavaScript module through `require`, the automatic JSX runtime's
// synthetic import, and a declaration file's ambient module importing another it declares.
const CONSTRUCTS = {
  "src/app.ts": `/// <reference path="./legacy-globals.d.ts" />
import type { Config } from "@lib/config";
import { helper } from "@lib/helpers";
import legacy from "./legacy.js";
export async function run(config: Config) {
  const lazy = await import("./lazy");
  const shape: import("./shapes").Shape = { size: lazy.value };
  const named = helper(config.name);
  const region = config.region;
  const twice = legacy.twice(2);
  const title = document.title;
  return [named, region, shape.size, twice, LEGACY, title] as const;
}
`,
  "src/view.tsx": `import { helper } from "@lib/helpers";
export const view = <section title={helper("x")}>{helper("y")}</section>;
export const label = helper("z");
`,
  "lib/config.ts": `export interface Config { name: string }\n`,
  "lib/helpers.ts": `import { weight } from "./heavy";
export function helper(text: string): { text: string; weight: number } { return { text, weight }; }
`,
  "lib/heavy.ts": `export const weight = 3;\n`,
  "src/region.ts": `export {};
declare module "@lib/config" {
  interface Config { region: "eu" | "us" }
}
`,
  "src/browser.ts": `/// <reference lib="dom" />
export const inBrowser = true;
`,
  "src/lazy.ts": `export const value = 7;\n`,
  "src/shapes.ts": `export interface Shape { size: number }\n`,
  "src/legacy-globals.d.ts": `declare const LEGACY: 42;\n`,
  "src/legacy.js": `const util = require("./util");
module.exports = { twice: (n) => util.double(n) };
`,
  "src/util.js": `/** @param {number} n */
function double(n) { return n * 2; }
module.exports = { double };
`,
  "src/ambient.d.ts": `declare module "ambient-self" { export const self: 1 }
declare module "ambient-other" { import { self } from "ambient-self"; export const other: typeof self }
`,
  "src/uses-ambient.ts": `import { other } from "ambient-other";\nexport const own = other;\n`,
};

const CONSTRUCT_OPTIONS: ts.CompilerOptions = { baseUrl: "/project", paths: { "@lib/*": ["lib/*"] }, jsx: ts.JsxEmit.ReactJSX };

describe("the narrow checker answers through every construct as the whole program", () => {
  it("paths, import type, import(), augmentation, reference path and lib, require, the JSX runtime", () => {
    const whole = memoryWorkspace("/project", CONSTRUCTS, CONSTRUCT_OPTIONS, false);
    const workspace = memoryWorkspace("/project", CONSTRUCTS, CONSTRUCT_OPTIONS, false);
    const narrow = narrowChecker(workspace, () => new Set(["src/app.ts"]));
    const questions: [string, string][] = [
      ["src/app.ts", "config"],
      ["src/app.ts", "lazy"],
      ["src/app.ts", "shape"],
      ["src/app.ts", "named"],
      ["src/app.ts", "region"],
      ["src/app.ts", "twice"],
      ["src/app.ts", "title"],
      ["src/app.ts", "[named, region, shape.size, twice, LEGACY, title] as const"],
      ["src/view.tsx", "view"],
      ["src/view.tsx", "label"],
      ["src/uses-ambient.ts", "own"],
    ];
    for (const [file, text] of questions) {
      expect(typeText(narrow.workspace, file, text), `${file}: ${text}`).toBe(typeText(whole, file, text));
    }
    expect(typeText(narrow.workspace, "src/app.ts", "region")).toBe('"eu" | "us"');
    expect(typeText(narrow.workspace, "src/app.ts", "title")).toBe("string");
    expect(typeText(narrow.workspace, "src/app.ts", "twice")).toBe("number");
    expect(typeText(narrow.workspace, "src/uses-ambient.ts", "own")).toBe("1");
    expect(narrow.escaped()).toBe(false);
    // the module helpers.ts imports was never reached (read for the choice of global files only, narrow-checker.ts)
    expect(bound(workspace, "lib/heavy.ts")).toBe(false);
    expect(bound(workspace, "lib/helpers.ts")).toBe(true);
  });
});

// JavaScript files: only the binder tells a CommonJS module (which the parse leaves a script) from a script, and finds
// the globals a top-level assignment declares (seen-without-import.ts). With the verdicts of bound trees — a full scan's
// entry has them — the narrow checker reads up front only the JavaScript files that are scripts or declare globals;
// with a tree not bound, every JavaScript file, as before.
const JAVASCRIPT = {
  "src/app.ts": `export function run() {
  const version = Registry.version;
  const legacy = LEGACY_COUNT;
  return [version, legacy] as const;
}
`,
  // an ES module that declares a global: a top-level assignment to a property of a name declared nowhere
  "src/registry.js": `export const ready = true;\nRegistry.version = "1.2";\n`,
  // a script: its declarations are global
  "src/legacy.js": `var LEGACY_COUNT = 3;\n`,
  // CommonJS modules nothing imports (database migrations), one assigning a property of its own object
  "src/migrations/001-users.js": `module.exports = { up: (queryInterface) => queryInterface.createTable("users") };\n`,
  "src/migrations/002-orders.js": `const migration = {};\nmigration.up = (q) => q.createTable("orders");\nmodule.exports = migration;\n`,
};

describe("the narrow checker reads up front the JavaScript files the binder found global", () => {
  const MIGRATIONS = ["src/migrations/001-users.js", "src/migrations/002-orders.js"];

  it("the verdicts: a bound tree's say which JavaScript files are seen without an import; a tree not bound is seen", () => {
    const whole = memoryWorkspace("/project", JAVASCRIPT);
    const unbound = Object.fromEntries(whole.loaded.map((f) => [f.path, seenWithoutImport(f.sourceFile)]));
    expect(unbound).toEqual({ "src/app.ts": false, "src/registry.js": true, "src/legacy.js": true, [MIGRATIONS[0]!]: true, [MIGRATIONS[1]!]: true });
    whole.checker(); // binds every file
    const verdicts = Object.fromEntries(whole.loaded.map((f) => [f.path, seenWithoutImport(f.sourceFile)]));
    expect(verdicts).toEqual({ "src/app.ts": false, "src/registry.js": true, "src/legacy.js": true, [MIGRATIONS[0]!]: false, [MIGRATIONS[1]!]: false });
  });

  it("answers as the whole program's checker, through a JavaScript global and a script, leaving the migrations unread", () => {
    const whole = memoryWorkspace("/project", JAVASCRIPT);
    whole.checker();
    const verdicts = new Map(whole.loaded.map((f) => [f.path, seenWithoutImport(f.sourceFile)]));
    const workspace = memoryWorkspace("/project", JAVASCRIPT);
    const narrow = narrowChecker(workspace, () => new Set(["src/app.ts"]), seenWithoutImportMemo((f) => verdicts.get(f.path)));
    for (const text of ["version", "legacy", "[version, legacy] as const"]) {
      expect(typeText(narrow.workspace, "src/app.ts", text), text).toBe(typeText(whole, "src/app.ts", text));
    }
    expect(typeText(narrow.workspace, "src/app.ts", "version")).toBe("string");
    expect(typeText(narrow.workspace, "src/app.ts", "legacy")).toBe("number");
    expect(narrow.escaped()).toBe(false);
    expect(bound(workspace, "src/registry.js")).toBe(true);
    expect(bound(workspace, "src/legacy.js")).toBe(true);
    for (const file of MIGRATIONS) expect(bound(workspace, file), file).toBe(false);
  });

  it("with the program's options, the memo binds each JavaScript file alone first: the binder's verdicts, no other file bound", () => {
    const whole = memoryWorkspace("/project", JAVASCRIPT);
    whole.checker();
    const expected = Object.fromEntries(whole.loaded.map((f) => [f.path, seenWithoutImport(f.sourceFile)]));
    // a full scan's: nothing redone, no entry, the verdicts asked before the checker has bound anything
    const workspace = memoryWorkspace("/project", JAVASCRIPT);
    const global = seenWithoutImportMemo(undefined, workspace.programParts().options);
    expect(Object.fromEntries(workspace.loaded.map((f) => [f.path, global(f)]))).toEqual(expected);
    expect(expected[MIGRATIONS[0]!]).toBe(false);
    expect(bound(workspace, "src/app.ts")).toBe(false);
    const narrow = narrowChecker(workspace, () => new Set(), global);
    expect(typeText(narrow.workspace, "src/app.ts", "version")).toBe("string");
    expect(typeText(narrow.workspace, "src/app.ts", "legacy")).toBe("number");
    expect(narrow.escaped()).toBe(false);
  });

  it("the verdicts of trees not bound read every JavaScript file up front", () => {
    const workspace = memoryWorkspace("/project", JAVASCRIPT);
    const narrow = narrowChecker(workspace, () => new Set(["src/app.ts"]));
    expect(typeText(narrow.workspace, "src/app.ts", "version")).toBe("string");
    for (const file of MIGRATIONS) expect(bound(workspace, file), file).toBe(true);
  });
});
