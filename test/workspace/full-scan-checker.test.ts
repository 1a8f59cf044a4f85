import { describe, expect, it, vi } from "vitest";
import type { ts } from "ts-morph";
import { scan } from "../../src/index.js";
import type { NarrowChecker } from "../../src/workspace/narrow-checker.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import { tempProject } from "../support/run-cli.js";

// A full scan asks the checker that reads a file only when its answers reach it (narrow-checker.ts's fullScanChecker,
// lazy-checker.ts), not the whole program's: the program's creation resolves every file's imports and its checker binds
// every file, while the answers of a full analysis reach only some (the generated 50k gateway's 1,112 of 1,385 files). Its answers are
// the whole program's, so the results are the same (performance.md, session 54 — helper M).
const seen = vi.hoisted(() => ({ workspaces: [] as Workspace[], narrow: [] as NarrowChecker[], programs: 0, starLookups: 0 }));
// the lookup of imports through barrels (export-star-lookup.ts) is a review's, for its redone files: a full scan reads
// nearly every barrel's closure anyway, and without an entry's shapes the lookup asks about every star's module first
// (novu with dependencies: ~17 % more CPU with it, session 55)
vi.mock("../../src/workspace/export-star-lookup.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/workspace/export-star-lookup.js")>();
  return {
    ...original,
    importsThroughStars: (...args: Parameters<typeof original.importsThroughStars>) => {
      seen.starLookups++;
      return original.importsThroughStars(...args);
    },
  };
});
vi.mock("../../src/workspace/narrow-checker.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/workspace/narrow-checker.js")>();
  return {
    ...original,
    fullScanChecker: (workspace: Workspace, ...rest: unknown[]) => {
      seen.workspaces.push(workspace);
      const watched: Workspace = {
        ...workspace,
        program: () => {
          seen.programs++;
          return workspace.program();
        },
      };
      const made = (original.fullScanChecker as (w: Workspace, ...r: unknown[]) => NarrowChecker)(watched, ...rest);
      seen.narrow.push(made);
      return made;
    },
  };
});

const FILES = {
  // the checker is asked about the call's callee: its answer reaches format.ts through the barrel
  "src/send.ts": `import { format } from "./text";
export async function send(user: { phone: string }) {
  await fetch("https://collector.example.com/v1", { method: "POST", body: format(user.phone) });
}
`,
  "src/text/index.ts": `export * from "./format";\n`,
  "src/text/format.ts": `export function format(value: string): string {\n  return value.trim();\n}\n`,
  // types nothing asks about: no answer reaches this file
  "src/orders/order.ts": `export interface Order {\n  id: string;\n  total: number;\n}\n`,
};

function bound(tree: ts.SourceFile): boolean {
  return (tree as { locals?: unknown }).locals !== undefined;
}

describe("a full scan's type checker", () => {
  it("binds only the files its answers reach, never makes the whole program, and finds what the whole program's finds", async () => {
    const result = await scan({ root: tempProject(FILES) });
    expect(result.findings.map((f) => `${f.ruleId} ${f.location.file}`)).toEqual(["leak-to-network src/send.ts"]);
    expect(seen.narrow).toHaveLength(1);
    expect(seen.narrow[0]!.escaped()).toBe(false);
    expect(seen.programs).toBe(0);
    expect(seen.starLookups).toBe(0);
    const trees = new Map(seen.workspaces[0]!.loaded.map((file) => [file.path, file.sourceFile]));
    expect(bound(trees.get("src/send.ts")!)).toBe(true);
    expect(bound(trees.get("src/text/format.ts")!)).toBe(true);
    expect(bound(trees.get("src/orders/order.ts")!)).toBe(false);
  });

  it("knows the lib files' declarations though no file is read up front (no global script, no declaration file)", async () => {
    seen.narrow.length = 0;
    seen.workspaces.length = 0;
    await scan({ root: tempProject(FILES) });
    const format = seen.workspaces[0]!.loaded.find((file) => file.path === "src/text/format.ts")!.sourceFile;
    const at = format.text.indexOf("trim");
    let trim: ts.Node | undefined;
    const visit = (node: ts.Node): void => {
      if (node.pos <= at && at < node.end) {
        if (node.getStart(format) === at && node.getWidth(format) === 4) trim = node;
        node.forEachChild(visit);
      }
    };
    visit(format);
    const checker = seen.narrow[0]!.workspace.checker();
    const declarations = checker.getSymbolAtLocation(trim!)?.declarations ?? [];
    expect(declarations.map((d) => d.getSourceFile().fileName.split("/").pop())).toContain("lib.es5.d.ts");
    expect(checker.typeToString(checker.getTypeAtLocation(trim!.parent.parent))).toBe("string");
    expect(seen.narrow[0]!.escaped()).toBe(false);
  });
});
