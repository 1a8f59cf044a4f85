import { chmodSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { UsageError } from "../../src/errors.js";
import { loadWorkspace } from "../../src/workspace/load-workspace.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import type { LibraryModel } from "../../src/config/policy.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

/** Where the callee of the first call to `name` in `file` is declared, relative to the root ("unresolved" if nowhere). */
function calleeDeclaredIn(workspace: Workspace, file: string, name: string): string {
  const scanned = workspace.files.find((f) => f.path === file);
  if (!scanned) throw new Error(`${file} is not in the workspace`);
  const checker = workspace.checker();
  let answer: string | undefined;
  const visit = (node: ts.Node): void => {
    if (answer === undefined && ts.isCallExpression(node) && node.expression.getText(scanned.sourceFile) === name) {
      let symbol = checker.getSymbolAtLocation(node.expression);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const declaration = symbol?.declarations?.[0];
      answer = declaration ? path.relative(workspace.root, declaration.getSourceFile().fileName) : "unresolved";
    }
    ts.forEachChild(node, visit);
  };
  visit(scanned.sourceFile);
  if (answer === undefined) throw new Error(`no call to ${name} in ${file}`);
  return answer;
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

const ids = (workspace: Workspace): string[] => workspace.notifications.map((n) => `${n.id} ${n.location?.file ?? ""}`);

describe("file discovery", () => {
  let root: string;
  let workspace: Workspace;
  beforeAll(async () => {
    root = writeTree({
      ".gitignore": "generated/\n*.local.ts\n",
      "tsconfig.json": JSON.stringify({ compilerOptions: { outDir: "lib-out" } }),
      "src/a.ts": "export const a = 1;",
      "src/b.tsx": "export const b = <div/>;",
      "src/c.mts": "export const c = 1;",
      "src/d.cts": "export const d = 1;",
      "src/e.js": "module.exports = {};",
      "src/f.jsx": "export const f = <div/>;",
      "src/g.mjs": "export const g = 1;",
      "src/h.cjs": "exports.h = 1;",
      "src/types.d.ts": "export interface PhoneNumber { value: string }",
      "src/readme.md": "# not code",
      "src/dir with space/ünïcode.ts": "export const u = 1;",
      "src/app.test.ts": "test('x', () => {});",
      "src/secret.local.ts": "export const s = 1;",
      "generated/api.ts": "export const x = 1;",
      "node_modules/axios/index.js": "module.exports = {};",
      "packages/p/node_modules/q/index.ts": "export const q = 1;",
      "dist/a.js": "exports.a = 1;",
      "lib-out/a.js": "exports.a = 1;",
      "public/vendor.min.js": "var a=1;",
      ".yarn/releases/yarn-4.1.1.cjs": "module.exports = {};",
      ".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs": "module.exports = {};",
      ".pnp.cjs": "module.exports = {};",
      ".pnp.loader.mjs": "export {};",
    });
    workspace = await loadWorkspace(root, { include: [], exclude: ["**/*.test.ts"] });
  });
  afterAll(() => removeTree(root));

  it("lists TypeScript and JavaScript files of every module flavour, relative, with forward slashes, sorted", () => {
    expect(workspace.files.map((f) => f.path)).toEqual([
      "src/a.ts",
      "src/b.tsx",
      "src/c.mts",
      "src/d.cts",
      "src/dir with space/ünïcode.ts",
      "src/e.js",
      "src/f.jsx",
      "src/g.mjs",
      "src/h.cjs",
    ]);
  });

  it("keeps the project's own declaration files in the program for types, but does not list them as code", () => {
    expect(workspace.program().getSourceFile(path.join(root, "src/types.d.ts"))).toBeDefined();
    expect(workspace.files.map((f) => f.path)).not.toContain("src/types.d.ts");
  });

  it("parses each file once: the program holds the very SourceFiles the files list, ECMAScript's lib, no dependency", () => {
    const program = workspace.program();
    for (const file of workspace.files) expect(program.getSourceFile(file.sourceFile.fileName)).toBe(file.sourceFile);
    const [inScan, outside] = partition(program.getSourceFiles(), (f) => f.fileName.startsWith(`${root}/`));
    expect(new Set(inScan)).toEqual(new Set(workspace.loaded.map((f) => f.sourceFile)));
    expect(outside.length).toBeGreaterThan(0);
    for (const lib of outside) expect(lib.fileName).toMatch(/^\/__flowgate__\/typescript\/lib\/lib\.(es|decorators)[\w.]*\.d\.ts$/);
    expect(workspace.program()).toBe(program);
    expect(workspace.checker()).toBe(program.getTypeChecker());
  });

  it("honours .gitignore, the policy's exclude, node_modules, dist, minified bundles, Yarn's own files and the tsconfig outDir", () => {
    const all = workspace.program().getSourceFiles().map((f) => path.relative(root, f.fileName));
    const yarn = [".yarn/releases/yarn-4.1.1.cjs", ".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs", ".pnp.cjs", ".pnp.loader.mjs"];
    for (const skipped of ["generated/api.ts", "src/secret.local.ts", "src/app.test.ts", "node_modules/axios/index.js", "dist/a.js", "lib-out/a.js", "public/vendor.min.js", "packages/p/node_modules/q/index.ts", ...yarn]) {
      expect(all, skipped).not.toContain(skipped);
    }
    expect(workspace.notifications).toEqual([]);
    expect(workspace.filesSkipped).toBe(0);
  });

  it("applies the policy's include", async () => {
    const only = await loadWorkspace(root, { include: ["src/*.js", "src/*.cjs"], exclude: [] });
    expect(only.files.map((f) => f.path)).toEqual(["src/e.js", "src/h.cjs"]);
  });
});

describe("module resolution without node_modules", () => {
  let root: string;
  let workspace: Workspace;
  beforeAll(async () => {
    root = writeTree({
      "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@shared/*": ["src/shared/*"] } } }),
      "src/shared/send.ts": "export function send(x: unknown) { return x; }",
      "src/esm.ts": [
        'import { send } from "@shared/send";',
        'import { helper } from "./helper.js";',
        'import axios from "axios";',
        "send(1); helper(); axios.post('u', {});",
      ].join("\n"),
      "src/helper.ts": "export function helper() { return 1; }",
      "src/cjs.js": 'const { util } = require("./util"); util();',
      "src/util.js": "function util() {} module.exports = { util };",
      "packages/api/tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "~/*": ["./src/*"] } } }),
      "packages/api/src/index.ts": 'import { route } from "~/routes"; route();',
      "packages/api/src/routes.ts": "export function route() {}",
      // Installed types exist, but the Project must not load them: dependencies are matched by provenance.
      "node_modules/axios/package.json": JSON.stringify({ name: "axios", types: "index.d.ts" }),
      "node_modules/axios/index.d.ts": "declare const axios: { post(u: string, b: unknown): void }; export default axios;",
    });
    workspace = await loadWorkspace(root, { include: [], exclude: [] });
  });
  afterAll(() => removeTree(root));

  it("connects imports between project files: tsconfig paths, .js specifiers of .ts files, require()", () => {
    expect(calleeDeclaredIn(workspace, "src/esm.ts", "send")).toBe("src/shared/send.ts");
    expect(calleeDeclaredIn(workspace, "src/esm.ts", "helper")).toBe("src/helper.ts");
    expect(calleeDeclaredIn(workspace, "src/cjs.js", "util")).toBe("src/util.js");
  });

  it("resolves a specifier to the loaded file without the program, as the program resolves it", () => {
    const file = (relative: string) => workspace.files.find((f) => f.path === relative)?.sourceFile as ts.SourceFile;
    expect(workspace.resolveModule("@shared/send", file("src/esm.ts"))).toBe(file("src/shared/send.ts"));
    expect(workspace.resolveModule("./util", file("src/cjs.js"))).toBe(file("src/util.js"));
    expect(workspace.resolveModule("~/routes", file("packages/api/src/index.ts"))).toBe(file("packages/api/src/routes.ts"));
    expect(workspace.resolveModule("~/routes", file("src/esm.ts"))).toBeUndefined();
    expect(workspace.resolveModule("axios", file("src/esm.ts"))).toBeUndefined();
  });

  it("resolves a nested package's own paths with its own tsconfig", () => {
    expect(calleeDeclaredIn(workspace, "packages/api/src/index.ts", "route")).toBe("packages/api/src/routes.ts");
  });

  it("never loads dependency declaration files, even when node_modules is installed", () => {
    expect(calleeDeclaredIn(workspace, "src/esm.ts", "axios.post")).toBe("unresolved");
    const loaded = workspace.program().getSourceFiles().map((f) => f.fileName);
    expect(loaded.filter((f) => f.includes("node_modules"))).toEqual([]);
  });
});

describe("files outside the include that the scanned code imports", () => {
  let root: string;
  let workspace: Workspace;
  // a library model rooted at @acme/sdk: the SDK the monorepo publishes stays that library
  const sdkModel: LibraryModel = {
    id: "acme-sdk",
    file: "acme-sdk.yaml",
    sinks: [{ id: "acme-sdk-send", kind: "third-party", call: "@acme/sdk#Client.send", arguments: [0] }],
    sources: [],
    sanitizers: [],
    instances: [],
    propagators: [],
  };
  beforeAll(async () => {
    root = writeTree({
      "package.json": JSON.stringify({ name: "acme", workspaces: ["apps/*", "packages/*"] }),
      "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@types/*": ["libs/types/*"] } } }),
      "apps/api/package.json": JSON.stringify({ name: "@acme/api" }),
      "apps/web/page.ts": "export const page = 1;",
      "libs/types/package.json": JSON.stringify({ name: "@acme/types" }),
      "apps/api/src/main.ts": [
        'import { mailer } from "@acme/mail/mailer";',
        'import type { Subscriber } from "@types/subscriber";',
        'import { helper } from "../../../tools/helper";',
        'import { page } from "../../web/page";',
        'import { trace } from "@acme/debug";',
        'import { Client } from "@acme/sdk";',
        "export const used = [mailer, helper, page, trace, Client] as unknown as Subscriber;",
      ].join("\n"),
      "packages/mail/package.json": JSON.stringify({ name: "@acme/mail", main: "./dist/index.js" }),
      "packages/mail/src/mailer.ts": 'import { render } from "./render"; export const mailer = { render };',
      "packages/mail/src/render.ts": "export function render() { return 1; }",
      "packages/mail/src/unused.ts": "export const unused = 1;",
      "packages/mail/src/mailer.test.ts": 'import { mailer } from "./mailer";',
      "libs/types/subscriber.ts": "export interface Subscriber { phone: string }",
      "tools/helper.js": "exports.helper = () => 1;",
      "tools/package.json": JSON.stringify({ name: "@acme/tools" }),
      "apps/web/package.json": JSON.stringify({ name: "@acme/web" }),
      "packages/debug/package.json": JSON.stringify({ name: "@acme/debug", main: "./index.ts" }),
      "packages/debug/index.ts": "export function trace() {}",
      "packages/sdk/package.json": JSON.stringify({ name: "@acme/sdk", main: "./index.ts" }),
      "packages/sdk/index.ts": "export class Client { send() {} }",
      "apps/web/index.ts": "export const web = 1;",
    });
    workspace = await loadWorkspace(root, { include: ["apps/api/**", "apps/web/index.ts"], exclude: ["packages/debug/**", "**/*.test.ts"], models: [sdkModel] });
  });
  afterAll(() => removeTree(root));

  it("loads what the included files import, transitively: workspace packages by name, paths aliases, relative paths", () => {
    expect(workspace.files.map((f) => f.path)).toEqual([
      "apps/api/src/main.ts",
      "apps/web/index.ts",
      "libs/types/subscriber.ts",
      "packages/mail/src/mailer.ts",
      "packages/mail/src/render.ts",
      "tools/helper.js",
    ]);
  });

  it("leaves out what nothing imports, what the policy excludes, and a workspace package a library model describes", () => {
    const files = workspace.files.map((f) => f.path);
    // apps/web is a package the include covers part of: there the include is the reviewer's cut
    expect(files).not.toContain("apps/web/page.ts");
    expect(files).not.toContain("packages/mail/src/unused.ts");
    expect(files).not.toContain("packages/debug/index.ts");
    expect(files).not.toContain("packages/sdk/index.ts");
  });

  it("says which packages were pulled in", () => {
    expect(workspace.notifications.filter((n) => n.id === "imported-files").map((n) => n.message.slice(0, n.message.indexOf(":")))).toEqual([
      "libs/types/ (@acme/types)",
      "packages/mail/ (@acme/mail)",
      "tools/ (@acme/tools)",
    ]);
  });

  it("pulls nothing in when the include is everything", async () => {
    const all = await loadWorkspace(root, { include: [], exclude: [] });
    expect(all.notifications.filter((n) => n.id === "imported-files")).toEqual([]);
  });
});

describe("broken tsconfig files", () => {
  it("reports invalid JSON, an extends cycle, a missing base and a bad reference, and still loads every file", async () => {
    const root = writeTree({
      "package.json": "{ this is not json", // never read: flowgate needs nothing from package.json
      "tsconfig.json": JSON.stringify({ extends: "./base.json", references: [{ path: "./nowhere" }] }),
      "base.json": JSON.stringify({ extends: "./tsconfig.json" }),
      "a/tsconfig.json": "{ compilerOptions: ",
      "a/x.ts": "export const x = 1;",
      "b/tsconfig.json": JSON.stringify({ extends: "@tsconfig/node20/tsconfig.json", files: ["missing.ts"] }),
      "b/y.ts": "export const y = 1;",
      "c/tsconfig.json": "[1, 2]",
      "c/z.ts": "export const z = 1;",
    });
    try {
      const workspace = await loadWorkspace(root, { include: [], exclude: [] });
      expect(workspace.files.map((f) => f.path)).toEqual(["a/x.ts", "b/y.ts", "c/z.ts"]);
      const messages = workspace.notifications.map((n) => n.message);
      expect(ids(workspace)).toEqual([
        "tsconfig-error a/tsconfig.json",
        "tsconfig-error b/tsconfig.json",
        "tsconfig-error c/tsconfig.json",
        "tsconfig-error tsconfig.json",
        "tsconfig-error tsconfig.json",
      ]);
      expect(messages.join("\n")).toMatch(/Circularity/);
      expect(messages.join("\n")).toMatch(/nowhere/);
      expect(messages.join("\n")).not.toContain(root);
    } finally {
      removeTree(root);
    }
  });

  it("reads a base config from the monorepo's own config package when nothing is installed", async () => {
    const root = writeTree({
      "package.json": JSON.stringify({ name: "acme", private: true, workspaces: ["apps/*", "packages/*"] }),
      "packages/tsconfig/package.json": JSON.stringify({ name: "@acme/tsconfig", files: ["next.json"] }),
      "packages/tsconfig/next.json": JSON.stringify({ compilerOptions: { jsx: "preserve", paths: { "@/*": ["./src/*"] } } }),
      "packages/tsconfig-strict/package.json": JSON.stringify({ name: "@acme/tsconfig-strict" }),
      "apps/web/tsconfig.json": JSON.stringify({ extends: "@acme/tsconfig/next.json", compilerOptions: { baseUrl: "." } }),
      "apps/web/src/main.ts": 'import { lib } from "@/lib"; lib();',
      "apps/web/src/lib.ts": "export function lib() {}",
      // a base the tree does not have is still reported
      "apps/admin/tsconfig.json": JSON.stringify({ extends: "@acme/tsconfig-strict/base.json" }),
      "apps/admin/main.ts": "export const admin = 1;",
    });
    try {
      const workspace = await loadWorkspace(root, { include: [], exclude: [] });
      expect(ids(workspace)).toEqual(["tsconfig-error apps/admin/tsconfig.json"]);
      expect(calleeDeclaredIn(workspace, "apps/web/src/main.ts", "lib")).toBe("apps/web/src/lib.ts");
    } finally {
      removeTree(root);
    }
  });

  it("follows project references to configs with other names", async () => {
    const root = writeTree({
      "tsconfig.json": JSON.stringify({ files: [], references: [{ path: "./svc/tsconfig.app.json" }] }),
      "svc/tsconfig.app.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "#lib": ["lib.ts"] } } }),
      "svc/main.ts": 'import { lib } from "#lib"; lib();',
      "svc/lib.ts": "export function lib() {}",
    });
    try {
      const workspace = await loadWorkspace(root, { include: [], exclude: [] });
      expect(workspace.notifications).toEqual([]);
      expect(calleeDeclaredIn(workspace, "svc/main.ts", "lib")).toBe("svc/lib.ts");
    } finally {
      removeTree(root);
    }
  });
});

describe("jsconfig.json", () => {
  it("resolves a JavaScript project's aliases with its jsconfig.json; a tsconfig.json beside it governs instead", async () => {
    const root = writeTree({
      "backend/jsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/helpers/*": ["src/helpers/*"] } } }),
      "backend/src/helpers/logger.js": "export default function log(line) { return line; }",
      "backend/src/jobs/send.js": 'import log from "@/helpers/logger.js";\nlog("sent");',
      // both here: the tsconfig.json says what the directory's files mean, as editors read it
      "web/jsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["js-only/*"] } } }),
      "web/tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["src/*"] } } }),
      "web/src/util.ts": "export function util() {}",
      "web/js-only/util.ts": "export function util() {}",
      "web/src/main.ts": 'import { util } from "@/util";\nutil();',
    });
    try {
      const workspace = await loadWorkspace(root, { include: [], exclude: [] });
      expect(workspace.notifications).toEqual([]);
      expect(calleeDeclaredIn(workspace, "backend/src/jobs/send.js", "log")).toBe("backend/src/helpers/logger.js");
      expect(calleeDeclaredIn(workspace, "web/src/main.ts", "util")).toBe("web/src/util.ts");
    } finally {
      removeTree(root);
    }
  });

  it("reports a broken jsconfig.json like a broken tsconfig and scans on", async () => {
    const root = writeTree({ "jsconfig.json": "{ compilerOptions: ", "src/a.js": "export const a = 1;" });
    try {
      const workspace = await loadWorkspace(root, { include: [], exclude: [] });
      expect(ids(workspace)).toEqual(["tsconfig-error jsconfig.json"]);
      expect(workspace.files.map((f) => f.path)).toEqual(["src/a.js"]);
    } finally {
      removeTree(root);
    }
  });
});

describe("files that cannot be read as they are", () => {
  let root: string;
  let workspace: Workspace;
  const utf16 = (text: string): Uint8Array => new Uint8Array([0xff, 0xfe, ...Buffer.from(text, "utf16le")]);
  beforeAll(async () => {
    root = writeTree({
      "broken.ts": "export function f( {\n  const s = `unterminated\n",
      "fine.ts": "export const ok = 1;\r\nexport const cr = 2;\rexport const x = 3;\n",
      "empty.ts": "",
      "binary.ts": new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]),
      "latin1.ts": new Uint8Array([...Buffer.from("export const name = '"), 0xe9, ...Buffer.from("';\n")]),
      "bom.ts": new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from("export const b = 1;\n")]),
      "wide.ts": utf16("export const w = 1;\n"),
      "big.ts": `export const big = "${"x".repeat(5000)}";\n`,
      "typed.js": "export const n: number = 1;\n", // parses, but type annotations are TypeScript-only
      "plain.js": "export const n = 1;\n",
    });
    workspace = await loadWorkspace(root, { include: [], exclude: [] }, { maxFileBytes: 4096 });
  });
  afterAll(() => removeTree(root));

  it("skips binary and oversized files, and scans everything else", () => {
    expect(workspace.files.map((f) => f.path)).toEqual([
      "bom.ts", "broken.ts", "empty.ts", "fine.ts", "latin1.ts", "plain.js", "typed.js", "wide.ts",
    ]);
    expect(workspace.filesSkipped).toBe(2);
  });

  it("names each problem file with a reason", () => {
    expect(ids(workspace)).toEqual([
      "file-too-large big.ts",
      "binary-file binary.ts",
      "parse-error broken.ts",
      "invalid-encoding latin1.ts",
      "parse-error typed.js",
      "file-encoding wide.ts",
    ]);
    expect(workspace.notifications.find((n) => n.location?.file === "typed.js")?.message).toMatch(/^typed\.js:1:17: does not parse \(Type annotations can only be used in TypeScript files\.\)/);
    const parseError = workspace.notifications.find((n) => n.id === "parse-error");
    expect(parseError?.message).toMatch(/^broken\.ts:2:9: does not parse \(.+\); analysed as far as the parser recovered$/);
    expect(parseError?.location).toMatchObject({ file: "broken.ts", startLine: 2, startColumn: 9 });
  });

  it("decodes UTF-16 and drops a UTF-8 byte order mark", () => {
    const text = (file: string) => workspace.files.find((f) => f.path === file)?.sourceFile.text;
    expect(text("wide.ts")).toBe("export const w = 1;\n");
    expect(text("bom.ts")).toBe("export const b = 1;\n");
    expect(text("latin1.ts")).toBe("export const name = '\uFFFD';\n");
  });
});

describe("symbolic links and permissions", () => {
  it("does not follow symlinks, and reports a loop and a link to a source file", async () => {
    const root = writeTree({ "src/real.ts": "export const r = 1;" });
    try {
      symlinkSync(path.join(root, "src"), path.join(root, "src/loop"));
      symlinkSync(path.join(root, "self"), path.join(root, "self"));
      symlinkSync(path.join(root, "src/real.ts"), path.join(root, "alias.ts"));
      const workspace = await loadWorkspace(root, { include: [], exclude: [] });
      expect(workspace.files.map((f) => f.path)).toEqual(["src/real.ts"]);
      expect(ids(workspace)).toEqual(["symlink-skipped alias.ts", "symlink-skipped self", "symlink-skipped src/loop"]);
      expect(workspace.notifications.find((n) => n.location?.file === "self")?.message).toMatch(/loop/);
    } finally {
      removeTree(root);
    }
  });

  // Permissions mean nothing to root, so this can only be observed as an ordinary user.
  it.skipIf(process.getuid?.() === 0)("reports unreadable files and directories and scans the rest", async () => {
    const root = writeTree({ "ok.ts": "export const a = 1;", "secret.ts": "export const s = 1;", "locked/x.ts": "export const x = 1;" });
    try {
      chmodSync(path.join(root, "secret.ts"), 0o000);
      chmodSync(path.join(root, "locked"), 0o000);
      const workspace = await loadWorkspace(root, { include: [], exclude: [] });
      expect(workspace.files.map((f) => f.path)).toEqual(["ok.ts"]);
      expect(ids(workspace)).toEqual(["unreadable-directory ", "unreadable-file secret.ts"]);
    } finally {
      chmodSync(path.join(root, "locked"), 0o755);
      removeTree(root);
    }
  });

  it("refuses a scan root that does not exist or is a file", async () => {
    const root = writeTree({ "a.ts": "" });
    try {
      await expect(loadWorkspace(path.join(root, "missing"), { include: [], exclude: [] })).rejects.toThrow(UsageError);
      await expect(loadWorkspace(path.join(root, "a.ts"), { include: [], exclude: [] })).rejects.toThrow(/not a directory/);
    } finally {
      removeTree(root);
    }
  });
});

describe("nesting depth", () => {
  it("keeps a deep-but-sane file and a long + chain, and skips one nested past the limit before the binder sees it", async () => {
    const ifs = (n: number): string => `export function g(x: number) {\n${"if (x > 1) {\n".repeat(n)}x++;\n${"}\n".repeat(n)}}\n`;
    const root = writeTree({
      "fine.ts": ifs(100),
      "plus.ts": `declare const x: string;\nexport const a = ${Array(20_000).fill("x").join(" + ")};\n`,
      "deep.ts": `export const a = ${"b".concat(".c()".repeat(600))};\n`, // 1,200 levels: parses, would overflow the binder later
      "logic.ts": `declare const x: boolean;\nexport const a = ${Array(950).fill("x").join(" && ")};\n`, // overflows the binder too
    });
    try {
      const workspace = await loadWorkspace(root, { include: [], exclude: [] });
      expect(workspace.files.map((f) => f.path)).toEqual(["fine.ts", "plus.ts"]);
      expect(ids(workspace)).toEqual(["nesting-too-deep deep.ts", "nesting-too-deep logic.ts"]);
      expect(workspace.program().getSourceFile(path.join(root, "deep.ts"))).toBeUndefined();
      expect(() => workspace.checker()).not.toThrow();
    } finally {
      removeTree(root);
    }
  });
});
