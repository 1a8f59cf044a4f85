import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/workspace/program.js";
import { changedNames, declarationHashes, exportedNames, keptStatements } from "../../src/workspace/declaration-hashes.js";

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
