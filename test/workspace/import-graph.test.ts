import { describe, expect, it } from "vitest";
import { affectedFiles } from "../../src/diff/affected-files.js";
import type { ChangedFiles } from "../../src/diff/changed-lines.js";
import { effectiveOptions } from "../../src/workspace/compiler-options.js";
import { ScannedFile } from "../../src/workspace/scanned-file.js";
import type { SourceSet } from "../../src/workspace/source-set.js";
import { moduleShapes, type ModuleShape } from "../../src/workspace/import-graph.js";
import { createProjectResolver } from "../../src/workspace/module-resolution.js";
import { decodeShape, encodeShape, type EncodedShape } from "../../src/cache/shape-codec.js";

// The import graph decides which files update review analyses again on the base (docs/update-review.md). Too few
// and a finding goes missing; too many and every change reaches half a barrel-heavy gateway.

const ROOT = "/project";
const OPTIONS = effectiveOptions(undefined);

const FILES: Record<string, string> = {
  "src/account/account.service.ts": `import { formatName } from "../shared";\nexport class AccountService { name(n: string) { return formatName(n); } }\n`,
  "src/account/account.helpers.ts": `export function formatAccount(s: string) { return s.trim(); }\n`,
  "src/account/index.ts": `export * from "./account.helpers";\nexport { AccountService } from "./account.service";\n`,
  "src/device/device.helpers.ts": `import { formatAccount } from "../account";\nexport const formatDevice = (s: string) => formatAccount(s);\n`,
  "src/device/device.controller.ts": `import { AccountService } from "../account";\nexport class DeviceController { constructor(private readonly accounts: AccountService) {} }\n`,
  "src/shared/names.ts": `export function formatName(s: string) { return s; }\n`,
  "src/shared/index.ts": `import { formatName as f } from "./names";\nexport { f as formatName };\nexport * from "./unused";\n`,
  "src/shared/unused.ts": `export const nothing = 1;\n`,
  "src/legacy/all.ts": `const account = require("../account");\nmodule.exports = { go: (s) => account.formatAccount(s) };\n`,
  "src/legacy/ns.ts": `import * as shared from "../shared";\nexport const g = shared.formatName;\n`,
  "src/globals.ts": `function helperEverywhere() { return 1; }\n`,
  "src/augment.ts": `export {};\ndeclare global { interface Window { x: number } }\n`,
  // a Nuxt app: its routes call server/utils' exports without importing them
  "web/nuxt.config.ts": `export default defineNuxtConfig({});\n`,
  "web/server/utils/visits.ts": `export function recordVisit(v: string) { return v; }\n`,
  "web/server/utils/deep/more.ts": `export function notAutoImported(v: string) { return v; }\n`,
  "web/server/api/visit.post.ts": `export default defineEventHandler((event) => recordVisit(event.path));\n`,
};

/** The files as a scan loads them: each parsed when its tree is first read. */
function loaded(files: Record<string, string>): Map<string, ScannedFile> {
  return new Map(Object.entries(files).map(([f, text]) => [f, new ScannedFile(f, `${ROOT}/${f}`, text, false)]));
}

function sources(): SourceSet {
  return {
    tsconfigs: { projectOptions: {}, optionsFor: () => OPTIONS, outDirs: [], notifications: [] },
    inScope: Object.keys(FILES).sort(),
    imported: [],
    outside: [],
    texts: new Map(Object.entries(FILES)),
    ownPackages: [],
    workspacePackages: [],
    notifications: [],
  };
}

function affected(...changed: string[]): string[] | string {
  const changes: ChangedFiles = new Map(
    changed.map((path) => [path, { path, status: "modified" as const, addedLines: new Set<number>(), editedLines: new Set<number>(), removedLines: new Set<number>(), binary: false, chunks: [] }]),
  );
  const headFiles = loaded(FILES);
  const result = affectedFiles({ root: ROOT, head: sources(), headFiles, changes, baseTexts: (files) => new Map(files.map((f) => [f, FILES[f] ?? ""])) });
  return "whole" in result ? result.whole : [...result.files].sort();
}

describe("files an update can affect", () => {
  it("follows a named import through a barrel to the declaring file only", () => {
    // the service changed: the controller imports it through the barrel, require() takes the barrel whole; the
    // device helpers import another name of the same barrel and are not affected
    expect(affected("src/account/account.service.ts")).toEqual([
      "src/account/account.service.ts",
      "src/device/device.controller.ts",
      "src/legacy/all.ts",
    ]);
    expect(affected("src/account/account.helpers.ts")).toEqual([
      "src/account/account.helpers.ts",
      "src/device/device.helpers.ts",
      "src/legacy/all.ts", // require() takes the barrel whole
    ]);
  });

  it("follows re-exports of imported names and namespace imports, transitively to the importers' importers", () => {
    expect(affected("src/shared/names.ts")).toEqual([
      "src/account/account.service.ts",
      "src/device/device.controller.ts",
      "src/legacy/all.ts",
      "src/legacy/ns.ts",
      "src/shared/index.ts", // it imports the name to re-export it
      "src/shared/names.ts",
    ]);
  });

  it("counts a changed barrel for everything imported through it", () => {
    expect(affected("src/account/index.ts")).toEqual([
      "src/account/index.ts",
      "src/device/device.controller.ts",
      "src/device/device.helpers.ts",
      "src/legacy/all.ts",
    ]);
  });

  it("gives up on changes other files see without an import", () => {
    expect(affected("src/globals.ts")).toBe("src/globals.ts is a global script (its declarations are visible without an import)");
    expect(affected("src/augment.ts")).toBe("src/augment.ts declares ambient modules or globals (visible without an import)");
    expect(affected("tsconfig.json")).toBe("tsconfig.json changed (compiler and path settings reach every file)");
    expect(affected("src/types.d.ts")).toBe("src/types.d.ts changed (declarations are visible without an import)");
    const nitro = "is auto-imported by Nitro into the server's files, or decides which files are (visible without an import)";
    expect(affected("web/server/utils/visits.ts")).toBe(`web/server/utils/visits.ts ${nitro}`);
    expect(affected("web/nuxt.config.ts")).toBe(`web/nuxt.config.ts ${nitro}`);
    // only the utilities folder's top-level files are auto-imported
    expect(affected("web/server/utils/deep/more.ts")).toEqual(["web/server/utils/deep/more.ts"]);
  });
});

describe("module shapes kept by the analysis cache", () => {
  // A later scan over the same file set takes the unchanged files' shapes from the cache entry (shape-codec.ts)
  // instead of resolving every import again: the graph must come out as found afresh.
  const headFiles = () => loaded(FILES);
  const changes = (path: string): ChangedFiles =>
    new Map([[path, { path, status: "modified" as const, addedLines: new Set<number>(), editedLines: new Set<number>(), removedLines: new Set<number>(), binary: false, chunks: [] }]]);
  const reach = (path: string, knownShapes?: (relative: string) => ModuleShape | undefined) => {
    const result = affectedFiles({ root: ROOT, head: sources(), headFiles: headFiles(), changes: changes(path), baseTexts: () => new Map(), ...(knownShapes ? { knownShapes } : {}) });
    return "whole" in result ? result.whole : [...result.files].sort();
  };

  it("come back from the entry's JSON as they were, and give the same reach", () => {
    const resolver = createProjectResolver(ROOT, Object.keys(FILES), () => OPTIONS);
    const shapes = moduleShapes(ROOT, headFiles(), [resolver]);
    const kept = new Map([...shapes].map(([file, shape]) => [file, decodeShape(JSON.parse(JSON.stringify(encodeShape(shape))) as EncodedShape)]));
    expect(kept).toEqual(shapes);
    for (const changed of ["src/account/account.service.ts", "src/shared/names.ts", "src/account/account.helpers.ts"]) {
      expect(reach(changed, (file) => (file === changed ? undefined : kept.get(file)))).toEqual(reach(changed));
    }
  });

  it("spare parsing every file but those without one", () => {
    // a cached review knows the unchanged files' shapes: the graph reads the changed file's tree alone
    const resolver = createProjectResolver(ROOT, Object.keys(FILES), () => OPTIONS);
    const shapes = moduleShapes(ROOT, headFiles(), [resolver]);
    const changed = "src/account/account.helpers.ts";
    const files = headFiles();
    const result = affectedFiles({ root: ROOT, head: sources(), headFiles: files, changes: changes(changed), baseTexts: () => new Map(), knownShapes: (file) => (file === changed ? undefined : shapes.get(file)) });
    expect([...files.values()].filter((f) => f.parsed).map((f) => f.path)).toEqual([changed]);
    expect("whole" in result ? result.whole : [...result.files].sort()).toEqual(reach(changed));
  });

  it("are taken as they are (so the cache must come from a trusted run, like the rest of the entry)", () => {
    const resolver = createProjectResolver(ROOT, Object.keys(FILES), () => OPTIONS);
    const shapes = moduleShapes(ROOT, headFiles(), [resolver]);
    const controller = shapes.get("src/device/device.controller.ts")!;
    const withoutImports: ModuleShape = { ...controller, named: [] };
    const changed = "src/account/account.service.ts";
    expect(reach(changed)).toContain("src/device/device.controller.ts");
    expect(reach(changed, (file) => (file === "src/device/device.controller.ts" ? withoutImports : undefined))).not.toContain("src/device/device.controller.ts");
  });
});

describe("names through a cycle of export *", () => {
  const CYCLE: Record<string, string> = {
    "src/a.ts": `export * from "./b";\nexport const fromA = 1;\n`,
    "src/b.ts": `export * from "./a";\nexport * from "./c";\nexport const fromB = 1;\n`,
    "src/c.ts": `export const fromC = 1;\n`,
    "src/first.ts": `import { fromB } from "./a";\nexport const x = fromB;\n`,
    "src/user.ts": `import { fromA } from "./b";\nexport const y = fromA;\n`,
  };
  const reach = (changed: string) => {
    const changes: ChangedFiles = new Map([
      [changed, { path: changed, status: "modified" as const, addedLines: new Set<number>(), editedLines: new Set<number>(), removedLines: new Set<number>(), binary: false, chunks: [] }],
    ]);
    const head: SourceSet = { ...sources(), inScope: Object.keys(CYCLE).sort(), texts: new Map(Object.entries(CYCLE)) };
    const headFiles = loaded(CYCLE);
    const result = affectedFiles({ root: ROOT, head, headFiles, changes, baseTexts: () => new Map() });
    return "whole" in result ? result.whole : [...result.files].sort();
  };

  it("finds the declaring module whichever barrel of the cycle is asked first", () => {
    // first.ts asks a.ts (whose star b.ts leads back to a.ts) before user.ts asks b.ts for a name a.ts declares
    expect(reach("src/a.ts")).toContain("src/user.ts");
    expect(reach("src/b.ts")).toContain("src/first.ts");
    expect(reach("src/c.ts")).toEqual(["src/c.ts"]);
  });
});
