import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CacheOptions } from "../../src/cache/analysis-cache.js";
import { TextHashes } from "../../src/cache/cache-key.js";
import { ImportsMemo } from "../../src/cache/imports-memo.js";
import { loadWorkspace } from "../../src/workspace/load-workspace.js";
import { readSourceSet, type SourceSet, type WorkspaceScope } from "../../src/workspace/source-set.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import { scan } from "../../src/scan.js";
import type { ScanResult } from "../../src/result.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

// The imported files' memo (src/cache/imports-memo.ts) spares a run started with the analysis cache the import pre-pass
// and the resolution of every file whose text (and file set) an earlier run saw. It must never change which files are
// loaded: a file whose text changed, or a file set in which an import resolves elsewhere, is read again; and a memo
// that does not check out — or, with a signing key, that a run without the key rewrote — is not used. It also keeps the
// loader's verdict on each text (too deep to load, its first syntax error), so a run over known texts finds neither
// again.

const SCOPE: WorkspaceScope = { include: ["apps/api/**"], exclude: [] };

/** A monorepo whose API imports a package's mailer by name, which imports its transport by a relative path. */
const TREE = {
  "package.json": JSON.stringify({ name: "acme", workspaces: ["apps/*", "packages/*"] }),
  "apps/api/package.json": JSON.stringify({ name: "@acme/api" }),
  "apps/api/src/main.ts": [
    'import { mailer } from "@acme/mail/mailer";',
    "export interface User { id: string; phone: string }",
    "export async function notify(user: User) { await mailer.send(user.phone); }",
    "",
  ].join("\n"),
  "flowgate.config.yaml": "extends: recommended\ninclude: [\"apps/api/**\"]\n",
  "packages/mail/package.json": JSON.stringify({ name: "@acme/mail" }),
  "packages/mail/src/mailer.ts": 'import { send } from "./transport";\nexport const mailer = { send };\n',
  "packages/mail/src/transport/index.ts": "export function send(body: string) { return fetch('https://mail.example', { method: 'POST', body }); }\n",
  "packages/mail/src/other.ts": "export function other(body: string) { return body; }\n",
};

let root: string;
let cacheDir: string;

beforeEach(() => {
  root = writeTree(TREE);
  cacheDir = writeTree({});
});

afterEach(() => {
  removeTree(root);
  removeTree(cacheDir);
});

/** The files read, then loaded: the memo is written once they are (it keeps their parse verdicts too). */
async function read(cache?: CacheOptions): Promise<SourceSet> {
  return (await readAndLoad(cache)).sources;
}

async function readAndLoad(cache?: CacheOptions): Promise<{ sources: SourceSet; workspace: Workspace }> {
  const sources = await readSourceSet(root, SCOPE, cache ? { importsMemo: new ImportsMemo(cache, new TextHashes(), SCOPE) } : {});
  return { sources, workspace: await loadWorkspace(root, SCOPE, { sources }) };
}

function memoFile(): string {
  const [name] = readdirSync(cacheDir).filter((n) => n.endsWith(".fgm"));
  if (name === undefined) throw new Error("no memo was written");
  return path.join(cacheDir, name);
}

interface Body {
  files: Record<string, [string, string[], string[]]>;
  verdicts: Record<string, unknown[]>;
}

/** Rewrites the memo so that no file imports anything; with `reseal`, its checksum made to match again. */
function tamper(reseal: boolean, rewrite = (body: Body) => Object.values(body.files).forEach((entry) => (entry[2] = []))): void {
  const raw = readFileSync(memoFile(), "utf8");
  const newline = raw.indexOf("\n");
  const body = JSON.parse(raw.slice(newline + 1)) as Body;
  rewrite(body);
  const text = JSON.stringify(body);
  const seal = reseal ? `sha256 ${createHash("sha256").update(text).digest("hex")}` : raw.slice(0, newline);
  writeFileSync(memoFile(), `${seal}\n${text}`);
}

const notes = (sources: SourceSet) => sources.notifications.filter((n) => n.id === "analysis-cache-ignored").map((n) => n.message);

describe("the imported files' memo", () => {
  it("is written by a run that may write the cache and gives the next run the same files", async () => {
    const cache = { dir: cacheDir };
    const without = await read();
    expect(without.imported).toEqual(["packages/mail/src/mailer.ts", "packages/mail/src/transport/index.ts"]);
    expect((await read(cache)).imported).toEqual(without.imported);
    memoFile();
    const again = await read({ dir: cacheDir, readOnly: true });
    expect(again.imported).toEqual(without.imported);
    expect([...again.texts.keys()]).toEqual([...without.texts.keys()]);
    expect(notes(again)).toEqual([]);
  });

  it("is not written by a read-only run (a pull request's)", async () => {
    await read({ dir: cacheDir, readOnly: true });
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("tells how many texts read an earlier run read (a large scan that starts from the cache stays in its process)", async () => {
    const cache = { dir: cacheDir };
    const told: (number | undefined)[] = [];
    const once = async () => {
      const sources = await readSourceSet(root, SCOPE, { importsMemo: new ImportsMemo(cache, new TextHashes(), SCOPE), onRead: (r) => told.push(r.known) });
      await loadWorkspace(root, SCOPE, { sources });
      return sources.texts.size;
    };
    const files = await once();
    await once();
    writeFileSync(path.join(root, "apps/api/src/main.ts"), `${TREE["apps/api/src/main.ts"]}// changed\n`);
    await once();
    expect(files).toBe(3);
    expect(told).toEqual([0, 3, 2]);
  });

  it("reads a file again whose text changed: a new import is followed", async () => {
    await read({ dir: cacheDir });
    writeFileSync(path.join(root, "packages/mail/src/mailer.ts"), 'import { send } from "./transport";\nimport { other } from "./other";\nexport const mailer = { send, other };\n');
    const memo = await read({ dir: cacheDir, readOnly: true });
    expect(memo.imported).toContain("packages/mail/src/other.ts");
    expect(memo.imported).toEqual((await read()).imported);
  });

  it("resolves again when the file set changed, though no text did: an import may resolve elsewhere", async () => {
    await read({ dir: cacheDir });
    // `./transport` is now the file next to the folder, which the compiler tries first
    writeFileSync(path.join(root, "packages/mail/src/transport.ts"), "export function send(body: string) { return body; }\n");
    const memo = await read({ dir: cacheDir, readOnly: true });
    expect(memo.imported).toEqual(["packages/mail/src/mailer.ts", "packages/mail/src/transport.ts"]);
    expect(memo.imported).toEqual((await read()).imported);
  });

  it("ignores a memo whose checksum does not match, with a note", async () => {
    await read({ dir: cacheDir });
    tamper(false);
    const memo = await read({ dir: cacheDir, readOnly: true });
    expect(notes(memo)).toEqual([expect.stringMatching(/memo imports-.*\.fgm was ignored \(its checksum does not match its content\)/)]);
    expect(memo.imported).toEqual((await read()).imported);
  });

  it("with a signing key, uses no memo a run without the key rewrote: the import it hides is loaded", async () => {
    // The tampering is real: without a key, a memo rewritten with a matching checksum is believed and the imported
    // files are not loaded — which is why only trusted runs may write the cache (docs/update-review.md, "Trust").
    await read({ dir: cacheDir });
    tamper(true);
    expect((await read({ dir: cacheDir, readOnly: true })).imported).toEqual([]);

    rmSync(memoFile());
    const signed = { dir: cacheDir, secret: "trusted-branch-key" };
    await read(signed);
    expect(readFileSync(memoFile(), "utf8")).toMatch(/^hmac-sha256 [0-9a-f]{64}\n/);
    tamper(true);
    const memo = await read({ ...signed, readOnly: true });
    expect(notes(memo)).toEqual([expect.stringMatching(/was ignored \(not signed, and a signing key is set\)/)]);
    expect(memo.imported).toEqual(["packages/mail/src/mailer.ts", "packages/mail/src/transport/index.ts"]);
  });

  it("in a scan: the leak through an imported file is found with the memo as without it, and a signed memo rewritten to hide the import is not used", async () => {
    const leaks = (result: ScanResult) => result.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.startLine} ${f.fingerprint}`);
    const without = leaks(await scan({ root }));
    expect(without).toEqual([expect.stringMatching(/ packages\/mail\/src\/transport\/index\.ts:1 /)]);
    // without a key, a memo rewritten with a matching checksum is believed: the mailer is not loaded, the leak is gone
    await scan({ root, cache: { dir: cacheDir } });
    tamper(true);
    expect(leaks(await scan({ root, cache: { dir: cacheDir, readOnly: true } }))).toEqual([]);
    rmSync(cacheDir, { recursive: true, force: true });
    const signed = { dir: cacheDir, secret: "trusted-branch-key" };
    await scan({ root, cache: signed });
    expect(leaks(await scan({ root, cache: { ...signed, readOnly: true } }))).toEqual(without);
    tamper(true);
    expect(leaks(await scan({ root, cache: { ...signed, readOnly: true } }))).toEqual(without);
  });
});

describe("the loader's parse verdicts in the memo", () => {
  const deep = "apps/api/src/deep.ts";
  const broken = "apps/api/src/broken.ts";
  const typed = "apps/api/src/typed.js";
  beforeEach(() => {
    // 1,200 levels: parses, and would overflow the binder; a parse error; TypeScript-only syntax in JavaScript
    writeFileSync(path.join(root, deep), `export const a = ${"b".concat(".c()".repeat(600))};\n`);
    writeFileSync(path.join(root, broken), "export const a = ;\n");
    writeFileSync(path.join(root, typed), "export function f(x: string) { return x; }\n");
  });
  const verdicts = (workspace: Workspace) =>
    workspace.notifications.filter((n) => n.id === "nesting-too-deep" || n.id === "parse-error").map((n) => `${n.id} ${n.message}`);

  it("gives a run over the same texts the same files and notes, without finding them again", async () => {
    const without = await readAndLoad();
    expect(verdicts(without.workspace)).toEqual([
      expect.stringMatching(/^parse-error apps\/api\/src\/broken\.ts:1:18: does not parse/),
      expect.stringMatching(/^nesting-too-deep apps\/api\/src\/deep\.ts: nests too deeply: its syntax tree is over 1000 levels deep/),
      expect.stringMatching(/^parse-error apps\/api\/src\/typed\.js:1:22: does not parse \(Type annotations can only be used in TypeScript files/),
    ]);
    await readAndLoad({ dir: cacheDir });
    const body = JSON.parse(readFileSync(memoFile(), "utf8").split("\n")[1]!) as Body;
    expect(Object.values(body.verdicts).filter((v) => v.length > 0)).toHaveLength(3);
    const again = await readAndLoad({ dir: cacheDir, readOnly: true });
    expect(verdicts(again.workspace)).toEqual(verdicts(without.workspace));
    expect(again.workspace.files.map((f) => f.path)).toEqual(without.workspace.files.map((f) => f.path));
    // judged without a parse: each file is parsed when its tree is first read, which here nothing did
    expect(without.workspace.loaded.every((f) => f.parsed)).toBe(true);
    expect(again.workspace.loaded.filter((f) => f.parsed)).toEqual([]);
    expect(again.workspace.files.map((f) => f.sourceFile.text)).toEqual(without.workspace.files.map((f) => f.sourceFile.text));

    // what the run used is the memo's: verdicts rewritten (and resealed, no key) are believed — the deep file loaded,
    // no syntax error found — which is why only trusted runs write the cache; the rest of the memo is unchanged
    tamper(true, (b) => Object.keys(b.verdicts).forEach((key) => (b.verdicts[key] = [])));
    const believed = await readAndLoad({ dir: cacheDir, readOnly: true });
    expect(verdicts(believed.workspace)).toEqual([]);
    expect(believed.workspace.files.map((f) => f.path)).toContain(deep);
  });

  it("judges a changed text again, and with a signing key uses no verdict a run without the key rewrote", async () => {
    const signed = { dir: cacheDir, secret: "trusted-branch-key" };
    await readAndLoad(signed);
    writeFileSync(path.join(root, broken), "export const a = 1;\n");
    const changed = await readAndLoad({ ...signed, readOnly: true });
    expect(verdicts(changed.workspace).map((v) => v.split(":")[0])).toEqual(["nesting-too-deep apps/api/src/deep.ts", "parse-error apps/api/src/typed.js"]);

    tamper(true, (b) => Object.keys(b.verdicts).forEach((key) => (b.verdicts[key] = ["forged"])));
    const refused = await readAndLoad({ ...signed, readOnly: true });
    expect(notes(refused.sources)).toEqual([expect.stringMatching(/was ignored \(not signed, and a signing key is set\)/)]);
    expect(verdicts(refused.workspace)).toEqual(verdicts(changed.workspace));
  });

  it("spares counting the brackets of a text it judged, never of one it did not", async () => {
    // 300 nested brackets: over the bracket limit (source-set.ts), so never parsed, and never judged
    const brackets = "apps/api/src/brackets.ts";
    const text = `export const a = ${"(".repeat(300)}1${")".repeat(300)};\n`;
    writeFileSync(path.join(root, brackets), text);
    const tooDeep = (workspace: Workspace) => verdicts(workspace).filter((v) => v.startsWith(`nesting-too-deep ${brackets}`));
    const without = await readAndLoad();
    expect(tooDeep(without.workspace)).toEqual([expect.stringMatching(/nests brackets 300 levels deep, over the limit of 250/)]);
    await readAndLoad({ dir: cacheDir });
    const again = await readAndLoad({ dir: cacheDir, readOnly: true });
    expect(tooDeep(again.workspace)).toEqual(tooDeep(without.workspace));
    expect(verdicts(again.workspace)).toEqual(verdicts(without.workspace));

    // a text the memo has a verdict on is not counted: a verdict forged on this one (resealed, no key) lets it load
    const hash = new TextHashes().of(text);
    tamper(true, (b) => {
      const kind = Object.keys(b.verdicts)[0]!.split(":")[0]; // every file here is TypeScript but typed.js
      const js = Object.keys(b.verdicts).filter((key) => !key.startsWith(`${kind}:`));
      expect(js.length).toBeLessThan(Object.keys(b.verdicts).length - 1);
      b.verdicts[`${kind}:${hash}`] = [];
    });
    const believed = await readAndLoad({ dir: cacheDir, readOnly: true });
    expect(tooDeep(believed.workspace)).toEqual([]);
    expect(believed.sources.texts.get(brackets)).toBe(text);
  });

  it("refuses verdicts not in their form", async () => {
    await readAndLoad({ dir: cacheDir });
    tamper(true, (b) => Object.keys(b.verdicts).forEach((key) => (b.verdicts[key] = [1, "x"])));
    const memo = await readAndLoad({ dir: cacheDir, readOnly: true });
    expect(notes(memo.sources)).toEqual([expect.stringMatching(/was ignored \(a parse verdict is not in its form\)/)]);
    expect(verdicts(memo.workspace)).toHaveLength(3);
  });
});
