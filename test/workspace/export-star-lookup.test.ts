import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { moduleShapes, type ModuleShape } from "../../src/workspace/import-graph.js";
import { createProjectResolver } from "../../src/workspace/module-resolution.js";
import { narrowChecker, type EntryShapes } from "../../src/workspace/narrow-checker.js";
import type { ScannedFile, Workspace } from "../../src/workspace/workspace.js";
import { memoryWorkspace } from "../support/memory-workspace.js";

// The narrow checker resolves a file's imports of barrels without the barrels' export tables (export-star-lookup.ts):
// the module a name comes from is looked up by the rule the checker builds a table by, passing unread the modules whose
// shapes say they hold neither the name nor a star. Every answer must be the whole program's: the alias's target and
// immediate target, the symbol and type of each use.

const BARRELS = {
  "src/app.ts": `import { formatContact, Renamed, Shared, ns, Both, defaultThing, Deep, type OnlyType } from "./lib";
export function run(contact: { phone: string }) {
  const a = formatContact(contact.phone);
  const b = new Renamed();
  const c = Shared.value;
  const d = ns.inner;
  const e = Both;
  const f = defaultThing();
  const g: OnlyType = { kind: "t" };
  const h = Deep.level;
  return [a, b, c, d, e, f, g, h] as const;
}
`,
  "src/lib/index.ts": `export * from "./format";
export * from "./nested";
export * from "./forward";
export * from "./shared";
export * from "./space-barrel";
export * from "./both-a";
export * from "./both-b";
export * from "./def-forward";
export * from "./types-forward";
export * from "./heavy";
`,
  "src/lib/format.ts": `export function formatContact(value: string): { text: string } { return { text: value }; }\n`,
  // a barrel of barrels
  "src/lib/nested/index.ts": `export * from "./deeper";\n`,
  "src/lib/nested/deeper/index.ts": `export * from "./deep";\nexport * from "../../format";\n`,
  "src/lib/nested/deeper/deep.ts": `export const Deep = { level: 3 as const };\n`,
  // a re-export renamed, an import exported again, `export * as ns`, a default re-export, a type-only re-export
  "src/lib/forward.ts": `export { Original as Renamed } from "../classes";\n`,
  "src/classes.ts": `export class Original { size = 1; }\n`,
  "src/lib/shared.ts": `import { Shared } from "../common/shared";\nexport { Shared };\n`,
  "src/common/shared.ts": `export const Shared = { value: "s" as const };\n`,
  "src/lib/space-barrel.ts": `export * as ns from "./space";\n`,
  "src/lib/space.ts": `export const inner = 42;\n`,
  // a name two stars export: the first one's
  "src/lib/both-a.ts": `export const Both = "a";\n`,
  "src/lib/both-b.ts": `export const Both = 2;\n`,
  "src/lib/def-forward.ts": `export { default as defaultThing } from "./def";\n`,
  "src/lib/def.ts": `export default function (): boolean { return true; }\n`,
  "src/lib/types-forward.ts": `export type { OnlyType } from "./types";\n`,
  "src/lib/types.ts": `export interface OnlyType { kind: "t" }\n`,
  // what no answer needs
  "src/lib/heavy.ts": `export const heavyTable = [1, 2, 3];\n`,
};

const USES = ["formatContact", "Renamed", "Shared", "ns", "Both", "defaultThing", "Deep", "OnlyType"];

/** The shapes a cache entry would give: found over the same files, their resolutions this file set's (or not). */
function shapesOf(workspace: Workspace, resolvedHere = true, edit: (path: string, shape: ModuleShape) => ModuleShape = (_, shape) => shape): EntryShapes {
  const resolver = createProjectResolver(workspace.root, workspace.files.map((f) => f.path), () => workspace.programParts().options);
  const shapes = moduleShapes(workspace.root, new Map(workspace.files.map((f) => [f.path, f])), [resolver]);
  return {
    of: (file: ScannedFile) => {
      const shape = shapes.get(file.path);
      return shape !== undefined ? edit(file.path, shape) : undefined;
    },
    resolvedHere,
  };
}

function nodeAt(workspace: Workspace, file: string, text: string, occurrence = 0): ts.Node {
  const sf = workspace.files.find((f) => f.path === file)!.sourceFile;
  let position = -1;
  for (let i = 0; i <= occurrence; i++) position = sf.text.indexOf(text, position + 1);
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (n.getStart(sf) === position && n.getText(sf) === text && ts.isIdentifier(n)) found ??= n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found!;
}

/** A symbol as two checkers can agree on it: its flags and where it is declared. */
function described(symbol: ts.Symbol | undefined): string {
  if (symbol === undefined) return "none";
  const where = (symbol.declarations ?? []).map((d) => `${d.getSourceFile().fileName}:${d.pos}:${ts.SyntaxKind[d.kind]}`);
  return `${symbol.escapedName as string} ${symbol.flags} ${where.join(",")}`;
}

/**
 * The answers about the imports and their uses the analysis asks (provenance, a call's target, an import's binding):
 * each use's symbol, each import's target and immediate target; with `types`, each use's type too.
 */
function answers(workspace: Workspace, types = true): string[] {
  const checker = workspace.checker();
  const out: string[] = [];
  for (const name of USES) {
    const use = nodeAt(workspace, "src/app.ts", name, 1);
    out.push(`${name} use: ${described(checker.getSymbolAtLocation(use))}`);
    const imported = checker.getSymbolAtLocation(nodeAt(workspace, "src/app.ts", name, 0))!;
    out.push(`${name} immediate: ${described(checker.getImmediateAliasedSymbol(imported))}`);
    out.push(`${name} target: ${described(checker.getAliasedSymbol(imported))}`);
  }
  if (!types) return out;
  for (const name of USES) out.push(`${name} type: ${checker.typeToString(checker.getTypeAtLocation(nodeAt(workspace, "src/app.ts", name, 1)))}`);
  const tuple = workspace.files.find((f) => f.path === "src/app.ts")!.sourceFile.text.indexOf("[a, b");
  out.push(`tuple: ${checker.typeToString(checker.getTypeAtLocation(findExpression(workspace, tuple)))}`);
  return out;
}

function findExpression(workspace: Workspace, position: number): ts.Node {
  const sf = workspace.files.find((f) => f.path === "src/app.ts")!.sourceFile;
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (n.getStart(sf) === position && ts.isArrayLiteralExpression(n)) found ??= n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found!;
}

function bound(workspace: Workspace, file: string): boolean {
  const sf = workspace.loaded.find((f) => f.path === file)!.sourceFile;
  return (sf as unknown as { locals?: unknown }).locals !== undefined;
}

describe("imports of barrels resolved without the barrels' export tables", () => {
  it("answers as the whole program's checker: targets, immediate targets, uses' symbols and types", () => {
    const expected = answers(memoryWorkspace("/project", BARRELS));
    expect(expected).toContain('Both type: "a"');
    expect(expected.find((a) => a.startsWith("Renamed target:"))).toMatch(/src\/classes\.ts:\d+:ClassDeclaration/);
    expect(expected.find((a) => a.startsWith("Shared target:"))).toMatch(/src\/common\/shared\.ts/);
    expect(expected.find((a) => a.startsWith("Renamed immediate:"))).toMatch(/src\/lib\/forward\.ts:\d+:ExportSpecifier/);
    const shaped = memoryWorkspace("/project", BARRELS);
    const narrow = narrowChecker(shaped, () => new Set(["src/app.ts"]), undefined, shapesOf(memoryWorkspace("/project", BARRELS)));
    expect(answers(narrow.workspace)).toEqual(expected);
    expect(narrow.escaped()).toBe(false);
    // without shapes every module on the way is read, the answers the same
    const unshaped = narrowChecker(memoryWorkspace("/project", BARRELS), () => new Set(["src/app.ts"]));
    expect(answers(unshaped.workspace)).toEqual(expected);
  });

  it("reads the barrels on the way and the modules declaring the names, not the other modules the stars name", () => {
    const workspace = memoryWorkspace("/project", BARRELS);
    const narrow = narrowChecker(workspace, () => new Set(["src/app.ts"]), undefined, shapesOf(memoryWorkspace("/project", BARRELS)));
    expect(answers(narrow.workspace, false)).toEqual(answers(memoryWorkspace("/project", BARRELS), false));
    for (const file of ["src/lib/index.ts", "src/lib/nested/index.ts", "src/lib/nested/deeper/index.ts", "src/lib/nested/deeper/deep.ts", "src/lib/both-a.ts", "src/classes.ts", "src/common/shared.ts"]) {
      expect(bound(workspace, file), file).toBe(true);
    }
    // the second star exporting `Both` (shadowed by the first), and the module no name comes from
    expect(bound(workspace, "src/lib/both-b.ts")).toBe(false);
    expect(bound(workspace, "src/lib/heavy.ts")).toBe(false);
    // an alias's type is found by resolving the import again, unremembered (the checker's `getTypeOfAlias`): through
    // the barrel's table, built then, as the whole program's checker builds it for any question
    expect(answers(narrow.workspace)).toEqual(answers(memoryWorkspace("/project", BARRELS)));
    expect(bound(workspace, "src/lib/heavy.ts")).toBe(true);
    const whole = memoryWorkspace("/project", BARRELS);
    answers(whole, false);
    expect(bound(whole, "src/lib/heavy.ts")).toBe(true);
  });

  it("passes unread a barrel whose stars' modules hold none of the name, when the shapes' resolutions are the checker's", () => {
    const read = (resolvedHere: boolean) => {
      const workspace = memoryWorkspace("/project", BARRELS);
      const narrow = narrowChecker(workspace, () => new Set(["src/app.ts"]), undefined, shapesOf(memoryWorkspace("/project", BARRELS), resolvedHere));
      expect(answers(narrow.workspace, false)).toEqual(answers(memoryWorkspace("/project", BARRELS), false));
      return workspace;
    };
    // `Deep` is found through the nested barrels; the names after them pass them unread
    const withResolutions = read(true);
    expect(bound(withResolutions, "src/lib/nested/deeper/deep.ts")).toBe(true);
    expect(bound(withResolutions, "src/lib/both-b.ts")).toBe(false);
    // a name the nested barrels do not have: `format.ts`, which the nested barrel also names, is read for formatContact
    const noDeep = { ...BARRELS, "src/app.ts": BARRELS["src/app.ts"].replace(", Deep,", ",").replace("  const h = Deep.level;\n", "").replace(", h]", "]") };
    const passing = memoryWorkspace("/project", noDeep);
    const narrow = narrowChecker(passing, () => new Set(["src/app.ts"]), undefined, shapesOf(memoryWorkspace("/project", noDeep)));
    narrow.workspace.checker().getSymbolAtLocation(nodeAt(narrow.workspace, "src/app.ts", "Both", 1));
    for (const file of ["src/lib/nested/index.ts", "src/lib/nested/deeper/index.ts", "src/lib/nested/deeper/deep.ts"]) expect(bound(passing, file), file).toBe(false);
    // without them, every barrel on the way is read
    const without = memoryWorkspace("/project", noDeep);
    const reading = narrowChecker(without, () => new Set(["src/app.ts"]), undefined, shapesOf(memoryWorkspace("/project", noDeep), false));
    reading.workspace.checker().getSymbolAtLocation(nodeAt(reading.workspace, "src/app.ts", "Both", 1));
    for (const file of ["src/lib/nested/index.ts", "src/lib/nested/deeper/index.ts"]) expect(bound(without, file), file).toBe(true);
    expect(bound(without, "src/lib/nested/deeper/deep.ts")).toBe(false);
  });

  it("takes the shapes as they are: a shape that leaves out the first star's name gives the second star's", () => {
    const forged = shapesOf(memoryWorkspace("/project", BARRELS), true, (path, shape) => (path === "src/lib/both-a.ts" ? { ...shape, own: new Set<string>() } : shape));
    const narrow = narrowChecker(memoryWorkspace("/project", BARRELS), () => new Set(["src/app.ts"]), undefined, forged);
    expect(answers(narrow.workspace)).toContain("Both type: 2");
  });
});

// Where the lookup cannot give the checker's answer, the checker answers, building the table: a name through a
// type-only star (the table marks it), a name the barrel declares itself (its table is read whole).
const FALLBACKS = {
  "src/app.ts": `import { Own, type Typed, Far } from "./lib";
export const own = Own.size;
export const typed: Typed = { kind: "t" };
export const far = Far;
`,
  "src/lib/index.ts": `export class Own { size = 1; }
export type * from "./types";
export * from "./far";
export * from "./heavy";
`,
  "src/lib/types.ts": `export interface Typed { kind: "t" }\n`,
  "src/lib/far.ts": `export const Far = "far";\n`,
  "src/lib/heavy.ts": `export const heavyTable = [1, 2, 3];\n`,
};

// Stars in a cycle: each module visited once, the other's name found through it.
const CYCLE = {
  "src/app.ts": `import { B, A } from "./a";\nexport const both = [A, B] as const;\n`,
  "src/a.ts": `export * from "./b";\nexport const A = "a";\n`,
  "src/b.ts": `export * from "./a";\nexport * from "./c";\nexport const B = "b";\n`,
  "src/c.ts": `export const C = "c";\n`,
};

describe("imports through stars in a cycle", () => {
  it("answers as the whole program's checker", () => {
    const typeOf = (workspace: Workspace) => {
      const checker = workspace.checker();
      const use = nodeAt(workspace, "src/app.ts", "B", 1);
      const symbol = checker.getSymbolAtLocation(use)!;
      return `${described(checker.getAliasedSymbol(symbol))} ${checker.typeToString(checker.getTypeAtLocation(use))}`;
    };
    const expected = typeOf(memoryWorkspace("/project", CYCLE));
    expect(expected).toMatch(/src\/b\.ts/);
    const workspace = memoryWorkspace("/project", CYCLE);
    expect(typeOf(narrowChecker(workspace, () => new Set(["src/app.ts"]), undefined, shapesOf(memoryWorkspace("/project", CYCLE))).workspace)).toBe(expected);
  });
});

describe("imports the lookup leaves to the checker", () => {
  it("a type-only star and a name of the barrel's own: answered by the checker, the same", () => {
    const typeOf = (workspace: Workspace, name: string) => {
      const checker = workspace.checker();
      const sf = workspace.files.find((f) => f.path === "src/app.ts")!.sourceFile;
      const declaration = sf.statements.flatMap((s) => (ts.isVariableStatement(s) ? [...s.declarationList.declarations] : [])).find((d) => (d.name as ts.Identifier).text === name)!;
      return checker.typeToString(checker.getTypeAtLocation(declaration.name));
    };
    const whole = memoryWorkspace("/project", FALLBACKS);
    const workspace = memoryWorkspace("/project", FALLBACKS);
    const narrow = narrowChecker(workspace, () => new Set(["src/app.ts"]), undefined, shapesOf(memoryWorkspace("/project", FALLBACKS)));
    for (const name of ["own", "typed", "far"]) expect(typeOf(narrow.workspace, name), name).toBe(typeOf(whole, name));
    expect(typeOf(narrow.workspace, "far")).toBe('"far"');
    expect(bound(workspace, "src/lib/heavy.ts")).toBe(true);
  });
});

// A barrel that forwards names by name beside its stars (`export { OrderService } from "./order.service"`): an import
// of a forwarded name is resolved at the module the forward names, looked up there by the table's rule, so the stars'
// modules are not read for it. The barrel's hop leaves the alias chain (the immediate target is the forwarded module's
// export, not the barrel's export specifier); targets, uses' symbols and types stay the whole program's.
const FORWARDS = {
  "src/app.ts": `import { OrderService, Deeper, Renamed, type Shape } from "./orders";
export const service = new OrderService();
export const deeper = Deeper.level;
export const renamed = Renamed;
export const shape: Shape = { kind: "s" };
`,
  "src/orders/index.ts": `export * from "./dto";
export * from "./helpers";
export { OrderService } from "./order.service";
export { Deeper } from "./more";
export { Original as Renamed } from "./order.service";
export type { Shape } from "./shape";
`,
  "src/orders/dto.ts": `export class OrderDto { id = ""; }\n`,
  "src/orders/helpers.ts": `export const formatOrder = (id: string) => id.trim();\n`,
  "src/orders/order.service.ts": `export class OrderService { count = 1; }\nexport const Original = "original";\n`,
  // a forward to a barrel of stars: the name looked up in that barrel's table
  "src/orders/more/index.ts": `export * from "./deeper";\nexport * from "./unused";\n`,
  "src/orders/more/deeper.ts": `export const Deeper = { level: 2 as const };\n`,
  "src/orders/more/unused.ts": `export const unused = 0;\n`,
  "src/orders/shape.ts": `export interface Shape { kind: "s" }\n`,
};

describe("imports of names a barrel forwards by name", () => {
  const NAMES = ["OrderService", "Deeper", "Renamed", "Shape"];
  const answersOf = (workspace: Workspace, names: readonly string[]) => {
    const checker = workspace.checker();
    return names.flatMap((name) => {
      const use = nodeAt(workspace, "src/app.ts", name, 1);
      const imported = checker.getSymbolAtLocation(nodeAt(workspace, "src/app.ts", name, 0))!;
      return [
        `${name} use: ${described(checker.getSymbolAtLocation(use))}`,
        `${name} target: ${described(checker.getAliasedSymbol(imported))}`,
        `${name} immediate: ${described(checker.getImmediateAliasedSymbol(imported))}`,
        `${name} type: ${checker.typeToString(checker.getTypeAtLocation(use))}`,
      ];
    });
  };
  const narrowOver = (workspace: Workspace) =>
    narrowChecker(workspace, () => new Set(["src/app.ts"]), undefined, shapesOf(memoryWorkspace("/project", FORWARDS))).workspace;

  it("answers as the whole program's checker but for the barrel's hop, which leads into the project under the same name", () => {
    const whole = answersOf(memoryWorkspace("/project", FORWARDS), NAMES);
    const narrow = answersOf(narrowOver(memoryWorkspace("/project", FORWARDS)), NAMES);
    const hop = (name: string) => `${name} immediate: `;
    // the renamed and the type-only forwards are the checker's, as are every target, use and type
    expect(narrow.filter((a) => !a.startsWith(hop("OrderService")) && !a.startsWith(hop("Deeper")))).toEqual(
      whole.filter((a) => !a.startsWith(hop("OrderService")) && !a.startsWith(hop("Deeper"))),
    );
    expect(whole.find((a) => a.startsWith(hop("OrderService")))).toMatch(/src\/orders\/index\.ts:\d+:ExportSpecifier/);
    expect(narrow.find((a) => a.startsWith(hop("OrderService")))).toMatch(/src\/orders\/order\.service\.ts:\d+:ClassDeclaration/);
    expect(narrow.find((a) => a.startsWith(hop("Deeper")))).toMatch(/src\/orders\/more\/deeper\.ts:\d+:VariableDeclaration/);
    expect(narrow.find((a) => a.startsWith("OrderService target:"))).toMatch(/src\/orders\/order\.service\.ts:\d+:ClassDeclaration/);
  });

  it("reads neither the barrel's stars' modules nor the forwarded barrel's other modules for a forwarded name", () => {
    const workspace = memoryWorkspace("/project", FORWARDS);
    const narrow = narrowOver(workspace);
    for (const name of ["OrderService", "Deeper"]) narrow.checker().getSymbolAtLocation(nodeAt(narrow, "src/app.ts", name, 1));
    expect(bound(workspace, "src/orders/order.service.ts")).toBe(true);
    expect(bound(workspace, "src/orders/more/deeper.ts")).toBe(true);
    for (const file of ["src/orders/dto.ts", "src/orders/helpers.ts", "src/orders/more/unused.ts"]) expect(bound(workspace, file), file).toBe(false);
    // the whole program's checker builds the barrel's table for the same question, reading every star's module
    const whole = memoryWorkspace("/project", FORWARDS);
    whole.checker().getSymbolAtLocation(nodeAt(whole, "src/app.ts", "OrderService", 1));
    expect(bound(whole, "src/orders/dto.ts")).toBe(true);
  });
});
