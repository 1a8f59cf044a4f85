import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/workspace/program.js";
import { changedNames, declarationHashes, exportedNames, keptStatements, statementsKeptWhole, typesKept } from "../../src/workspace/declaration-hashes.js";

// Which exports of a changed file changed decides which importers an update reaches through declarations and types
// (docs/update-review.md, "What a change reaches"): too few and a finding is hidden, so anything but an exported
// declaration's own statement changing counts as every export changing.

const BEFORE = `import { send } from "./client";

const PREFIX = "user:";

export interface Account {
  id: string;
  phone: string;
}

export function label(account: Account): string {
  return PREFIX + account.id;
}

export const describeAccount = (account: Account) => label(account);

export async function notify(account: Account): Promise<void> {
  await send(account.phone);
}
`;

function changed(after: string): string[] | "all" {
  const names = changedNames(declarationHashes(parseSource("/p/src/account.ts", BEFORE)), parseSource("/p/src/account.ts", after));
  return names === undefined ? "all" : [...names].sort();
}

describe("the exports a change to a file changed", () => {
  it("none for the same text, reformatted between statements", () => {
    expect(changed(BEFORE)).toEqual([]);
    expect(changed(BEFORE.replace("\n\nexport const", "\n\n\n// a comment between statements\nexport const"))).toEqual([]);
  });

  it("an appended export is the only one changed", () => {
    expect(changed(`${BEFORE}export const VERSION = 2;\n`)).toEqual(["VERSION"]);
  });

  it("an edited function, and the exports whose statements name it (an inferred type can follow)", () => {
    expect(changed(BEFORE.replace("return PREFIX + account.id;", "return PREFIX + account.phone;"))).toEqual(["describeAccount", "label"]);
    expect(changed(BEFORE.replace("await send(account.phone);", "await send(account.id);"))).toEqual(["notify"]);
  });

  it("an edited interface, and every export naming it", () => {
    expect(changed(BEFORE.replace("phone: string;", "phone: string;\n  email: string;"))).toEqual(["Account", "describeAccount", "label", "notify"]);
  });

  it("every export when something else changes: a private constant, an import, an export list", () => {
    expect(changed(BEFORE.replace(`"user:"`, `"account:"`))).toBe("all");
    expect(changed(BEFORE.replace(`"./client"`, `"./other-client"`))).toBe("all");
    expect(changed(`${BEFORE}export { PREFIX };\n`)).toBe("all");
  });

  it("every export of a CommonJS file, and of a file with no earlier hashes", () => {
    const commonJs = `${BEFORE}module.exports.extra = 1;\n`;
    expect(changedNames(declarationHashes(parseSource("/p/a.js", commonJs)), parseSource("/p/a.js", commonJs))).toBeUndefined();
    expect(changedNames(undefined, parseSource("/p/src/account.ts", BEFORE))).toBeUndefined();
  });
});

/** The exported names whose statements a change kept in place (declaration-hashes.ts `keptStatements`). */
function kept(after: string): string[] {
  const sf = parseSource("/p/src/account.ts", after);
  const spans = keptStatements(declarationHashes(parseSource("/p/src/account.ts", BEFORE)), sf);
  return sf.statements.filter((s) => spans.some(([pos, end]) => pos === s.pos && end === s.end)).flatMap((s) => exportedNames(s));
}

describe("the statements a change to a file left in place", () => {
  it("every exported statement before an appended export, none after an edit above them", () => {
    expect(kept(`${BEFORE}export const VERSION = 2;\n`)).toEqual(["Account", "label", "describeAccount", "notify"]);
    expect(kept(BEFORE.replace("export async function", "export const VERSION = 2;\n\nexport async function"))).toEqual(["Account", "label", "describeAccount"]);
  });

  it("not an edited one, nor those naming it, nor one a line lower at the same position", () => {
    expect(kept(BEFORE.replace("await send(account.phone);", "await send(account.id);"))).toEqual(["Account", "label", "describeAccount"]);
    expect(kept(BEFORE.replace("return PREFIX + account.id;", "return PREFIX + account.phone;"))).toEqual(["Account"]);
    // the interface rewritten to the same length over one more line: what follows is at the same position, a line lower
    expect(kept(BEFORE.replace("id: string;\n  phone", "id:\nstring;\n phone"))).toEqual([]);
  });

  it("none when anything but exported statements changed, nor from hashes not in their form", () => {
    expect(kept(BEFORE.replace(`"user:"`, `"account:"`))).toEqual([]);
    expect(keptStatements({ rest: "x", names: {} } as never, parseSource("/p/src/account.ts", BEFORE))).toEqual([]);
    expect(keptStatements(undefined, parseSource("/p/src/account.ts", BEFORE))).toEqual([]);
  });
});

/** The exported names whose statements a change kept whole: their own functions' records taken over (`statementsKeptWhole`). */
function keptWhole(before: string, after: string, file = "/p/src/account.ts"): string[] {
  const sf = parseSource(file, after);
  const spans = statementsKeptWhole(declarationHashes(parseSource(file, before)), sf);
  return sf.statements.filter((s) => spans.some(([pos, end]) => pos === s.pos && end === s.end)).flatMap((s) => exportedNames(s));
}

/** The first lines of the statements a change kept in place, exported or not. */
function keptLines(before: string, after: string, file = "/p/src/account.ts"): string[] {
  const sf = parseSource(file, after);
  const spans = keptStatements(declarationHashes(parseSource(file, before)), sf);
  return sf.statements.filter((s) => spans.some(([pos, end]) => pos === s.pos && end === s.end)).map((s) => s.getText(sf).split("\n")[0]!);
}

describe("the statements exporting nothing a change left in place", () => {
  // BEFORE's statements, the import and the private constant among them
  const BEFORE_FIRST_LINES = BEFORE.split("\n").filter((line) => /^(import|const|export)/.test(line));
  const WITH_PRIVATE = `${BEFORE}export const LIMIT = 1;\n\nconst limit = () => LIMIT;\n\nfunction twice(n: number): number {\n  return 2 * n;\n}\n`;

  it("the imports and private declarations before and after an appended export, in place", () => {
    expect(keptLines(WITH_PRIVATE, `${WITH_PRIVATE}export const VERSION = 2;\n`)).toEqual([...BEFORE_FIRST_LINES, "export const LIMIT = 1;", "const limit = () => LIMIT;", "function twice(n: number): number {"]);
  });

  it("not one moved by an edit above it, nor one naming what the change reaches, nor any in a JavaScript file", () => {
    // an export prepended: every statement moves
    expect(keptLines(WITH_PRIVATE, `export const VERSION = 2;\n${WITH_PRIVATE}`)).toEqual([]);
    // LIMIT rewritten to the same length: `limit` stays in place but follows it; `twice` names nothing reached
    expect(keptLines(WITH_PRIVATE, WITH_PRIVATE.replace("LIMIT = 1", "LIMIT = 2"))).toEqual([...BEFORE_FIRST_LINES, "function twice(n: number): number {"]);
    const js = `const a = 1;\n\nexport function b() {\n  return a;\n}\n`;
    expect(keptLines(js, `${js}export const c = 2;\n`, "/p/src/a.js")).toEqual(["export function b() {"]);
    expect(keptLines(js, `${js}export const c = 2;\n`, "/p/src/a.ts")).toEqual(["const a = 1;", "export function b() {"]);
  });

  it("none from hashes without the places of the statements exporting nothing", () => {
    const { placedRest: _placedRest, ...older } = declarationHashes(parseSource("/p/src/account.ts", BEFORE));
    expect(keptStatements(older as never, parseSource("/p/src/account.ts", `${BEFORE}export const VERSION = 2;\n`))).toEqual([]);
  });
});

describe("the statements a change kept whole", () => {
  const WITH_PRIVATE = `${BEFORE}export const LIMIT = 1;\n\nconst limit = () => LIMIT;\n\nexport function capped(n: number): number {\n  return Math.min(n, limit());\n}\n`;

  it("every kept statement when the change reaches none through the file's own statements", () => {
    expect(keptWhole(BEFORE, `${BEFORE}export const VERSION = 2;\n`)).toEqual(["Account", "label", "describeAccount", "notify"]);
  });

  it("not one that names a private declaration naming a changed export, nor one that names what a statement declaring nothing reshapes", () => {
    // LIMIT rewritten to the same length: `capped` stays in place and names only `limit`, whose type follows LIMIT
    const after = WITH_PRIVATE.replace("LIMIT = 1", "LIMIT = 2");
    expect(keptWhole(WITH_PRIVATE, after)).toEqual(["Account", "label", "describeAccount", "notify"]);
    // label's expando member takes EXTRA's type: label, and describeAccount naming it, are not kept whole
    const expando = `${BEFORE}export const EXTRA = 1;\n\nlabel.extra = EXTRA;\n`;
    expect(keptWhole(expando, expando.replace("EXTRA = 1", "EXTRA = 2"))).toEqual(["Account", "notify"]);
  });

  it("none in a JavaScript file", () => {
    const js = `export function a() {\n  return 1;\n}\n`;
    expect(keptWhole(js, `${js}export const b = 2;\n`, "/p/src/a.js")).toEqual([]);
    expect(keptWhole(js, `${js}export const b = 2;\n`, "/p/src/a.ts")).toEqual(["a"]);
  });
});

// A file whose calls dispatch into a changed file's classes (class-hierarchy dispatch) runs the same bodies when the
// change only added exports and none of them is, holds, or is named by a class or interface (affected-files.ts).
describe("a change that left a file's classes and interfaces as they were", () => {
  const WITH_CLASS = `${BEFORE}export class Notifier implements Account {\n  id = "n";\n  phone = "";\n}\n`;
  const keeps = (before: string, after: string, file = "/p/src/account.ts") => typesKept(declarationHashes(parseSource(file, before)), parseSource(file, after));

  it("an export appended beside them, which no class names", () => {
    expect(keeps(WITH_CLASS, `${WITH_CLASS}export const VERSION = 2;\n`)).toBe(true);
    expect(keeps(WITH_CLASS, `export function version(): number {\n  return 2;\n}\n${WITH_CLASS}`)).toBe(true);
    expect(keeps(WITH_CLASS, WITH_CLASS)).toBe(true);
  });

  it("not an added class, class expression or interface, nor an export a class names", () => {
    expect(keeps(WITH_CLASS, `${WITH_CLASS}export class Other {}\n`)).toBe(false);
    expect(keeps(WITH_CLASS, `${WITH_CLASS}export const make = () => class extends Notifier {};\n`)).toBe(false);
    expect(keeps(WITH_CLASS, `${WITH_CLASS}export interface Extra extends Account {}\n`)).toBe(false);
    // the class read a global `prefix` before; now the file's own export
    const naming = WITH_CLASS.replace('id = "n";', 'id = prefix;');
    expect(keeps(naming, `${naming}export const prefix = "n";\n`)).toBe(false);
  });

  it("not an export edited or removed (the earlier statement may have held a class), nor a private change, nor in JavaScript", () => {
    expect(keeps(WITH_CLASS, WITH_CLASS.replace("await send(account.phone);", "await send(account.id);"))).toBe(false);
    expect(keeps(`${WITH_CLASS}export const VERSION = 2;\n`, WITH_CLASS)).toBe(false);
    expect(keeps(WITH_CLASS, WITH_CLASS.replace(`"user:"`, `"account:"`))).toBe(false);
    const js = `export class A {}\n`;
    expect(keeps(js, `${js}export const b = 2;\n`, "/p/src/a.js")).toBe(false);
    expect(keeps(js, `${js}export const b = 2;\n`, "/p/src/a.ts")).toBe(true);
    expect(typesKept(undefined, parseSource("/p/src/account.ts", WITH_CLASS))).toBe(false);
    expect(typesKept({ rest: "x" } as never, parseSource("/p/src/account.ts", WITH_CLASS))).toBe(false);
  });
});
