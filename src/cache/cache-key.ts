import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Policy } from "../config/policy.js";
import type { Budgets } from "../dataflow/budgets.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { perModels } from "../model/per-models.js";
import { isDeclarationFile } from "../workspace/find-files.js";
import type { Tsconfigs } from "../workspace/tsconfigs.js";
import type { SourceSet } from "../workspace/source-set.js";
import type { Workspace } from "../workspace/workspace.js";

/** Bumped whenever what an entry holds, or how it is read, changes. */
export const CACHE_FORMAT = 19;

/** What an analysis read besides the scanned files' texts, and those texts one by one. */
export interface CacheKey {
  /**
   * Hash of everything every record may depend on: flowgate's own code and rules, the policy, the budgets, the
   * compiler settings, the project's packages and path aliases, its declaration files. An entry applies only under
   * the same environment.
   */
  environment: string;
  /** Per scanned file (relative path): hash of its text and of the compiler options it is resolved with. */
  files: Map<string, string>;
  /** Hash of all of `files`: names the tree. */
  tree: string;
}

export interface CacheKeyInputs {
  workspace: Workspace;
  policy: Policy;
  budgets: Budgets;
  tsconfigs: Tsconfigs;
  /** The scan's text hashes: the imported files' memo (imports-memo.ts) hashed the texts before. */
  hashes?: TextHashes;
}

/**
 * Content hashes of a scan's texts, each text hashed once: the imported files' memo looks files up by them before the
 * workspace is parsed, and the cache key names the tree by them after. Keyed by the text itself, so a hash can never
 * belong to another text (the base's version of a changed file is another string).
 */
export class TextHashes {
  private readonly byText = new Map<string, string>();

  of(text: string): string {
    let h = this.byText.get(text);
    if (h === undefined) this.byText.set(text, (h = hash(text)));
    return h;
  }
}

export function cacheKey({ workspace, policy, budgets, tsconfigs, hashes = new TextHashes() }: CacheKeyInputs): CacheKey {
  const root = workspace.root;
  const relativeText = (value: unknown) => stableJson(value).split(JSON.stringify(root).slice(1, -1)).join("<root>");
  const env = createHash("sha256");
  env.update(`flowgate-cache ${CACHE_FORMAT}\n${engineIdentity()}\n`);
  env.update(`policy ${policyText(policy)}\nbudgets ${stableJson(budgets)}\n`);
  env.update(`options ${relativeText(tsconfigs.projectOptions)}\n`);
  env.update(`packages ${stableJson([...workspace.ownPackages].sort())}\naliases ${stableJson(workspace.pathAliases)}\n`);
  // the project's declaration files are visible to every file without an import
  const scanned = new Set(workspace.files);
  const declarations = workspace.loaded
    .filter((file) => !scanned.has(file))
    .map((file) => `${path.relative(root, file.fileName)} ${hash(file.text)}`)
    .sort();
  env.update(`declarations ${declarations.join("\n")}\n`);

  const files = new Map<string, string>();
  const optionHashes = new Map<unknown, string>();
  for (const f of workspace.files) {
    if (isDeclarationFile(f.path)) continue;
    const options = tsconfigs.optionsFor(f.path);
    let o = optionHashes.get(options);
    if (o === undefined) optionHashes.set(options, (o = hash(relativeText(options))));
    files.set(f.path, hash(`${o}\n${hashes.of(f.text)}`));
  }
  const tree = createHash("sha256");
  for (const [file, h] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) tree.update(`${file}\0${h}\n`);
  return { environment: env.digest("hex"), files, tree: tree.digest("hex") };
}

/**
 * The policy as the analysis reads it (where each entry was written and which files it came from left out), as text:
 * once per policy object. An update review keys both of its runs with the one trusted policy, and the text of a
 * policy with the recommended packs' library models costs milliseconds to write out (30–50 ms the first time in a
 * process, docs/performance.md, session 42). A loaded policy is never changed (config stage output, read by the model).
 */
function policyText(policy: Policy): string {
  let text = policyTexts.get(policy);
  if (text === undefined) {
    const { origins: _origins, files: _files, models, ...analysed } = policy;
    // one line each (JSON without spacing): the models' text is the bulk, written once per list of models
    policyTexts.set(policy, (text = `${stableJson(analysed)}\n${modelsText(models)}`));
  }
  return text;
}

const policyTexts = new WeakMap<Policy, string>();

/**
 * The library models' text, once per list of them (per-models.ts): a run whose policy names the startup snapshot's
 * warm-up models takes it from the snapshot (12–17 sampled ms of a cached one-line review's cache key).
 */
const modelsText = perModels((models) => stableJson(models));

/**
 * What resolving the project's imports depends on besides each file's own text: the file set, every file's compiler
 * options (a workspace package resolves under its own folder's) and the workspace packages. Module shapes (the import
 * graph) kept in an entry apply to a later tree with the same key.
 */
export function importsKey(root: string, sources: Pick<SourceSet, "inScope" | "tsconfigs" | "workspacePackages">): string {
  const relativeText = (value: unknown) => stableJson(value).split(JSON.stringify(root).slice(1, -1)).join("<root>");
  const h = createHash("sha256");
  const optionHashes = new Map<unknown, string>();
  for (const file of sources.inScope) {
    const options = sources.tsconfigs.optionsFor(file);
    let o = optionHashes.get(options);
    if (o === undefined) optionHashes.set(options, (o = hash(relativeText(options))));
    h.update(`${file}\0${o}\n`);
  }
  h.update(`packages ${relativeText(sources.workspacePackages)}\n`);
  return h.digest("hex");
}

export function hash(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

let identity: string | undefined;

/**
 * flowgate's own code and rules, by content: another build (or another rule file) is another engine, whose entries do
 * not apply. The version number alone would not change between commits. Read once per process, or once into the
 * startup snapshot (warm-up.ts): a process started from it runs the code and rules it was made from, or it is not used.
 */
export function engineIdentity(): string {
  if (identity !== undefined) return identity;
  const h = createHash("sha256");
  const add = (relative: string) => h.update(`${relative}\0`).update(readFileSync(path.join(PACKAGE_ROOT, relative))).update("\0");
  add("package.json");
  for (const dir of ["dist", "rules"]) {
    const entries = readdirSync(path.join(PACKAGE_ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && (dir === "rules" || /\.(js|json)$/.test(e.name)))
      .map((e) => path.relative(PACKAGE_ROOT, path.join(e.parentPath ?? e.path, e.name)))
      .filter((relative) => !relative.startsWith(path.join("dist", "snapshot")))
      .sort();
    entries.forEach(add);
  }
  return (identity = h.digest("hex"));
}

/** JSON with object keys sorted and Maps, Sets and RegExps spelled out: the same data gives the same text. */
export function stableJson(value: unknown): string {
  const seen = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (v instanceof Map) return { $map: [...v].map(([k, x]) => [walk(k), walk(x)]) };
    if (v instanceof Set) return { $set: [...v].map(walk) };
    if (v instanceof RegExp) return { $re: String(v) };
    if (typeof v === "function") return { $fn: String(v) };
    if (typeof v === "bigint") return { $big: String(v) };
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      if (seen.has(v)) return "$cycle";
      seen.add(v);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = walk((v as Record<string, unknown>)[k]);
      seen.delete(v);
      return out;
    }
    return v;
  };
  return JSON.stringify(walk(value)) ?? "undefined";
}
