import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { RECIPE_SCHEMA, recipeProblems, type InstallRecipe } from "./install-recipe.js";

/**
 * bench/corpus.json: the public code bases of the real-code corpus, each pinned to a commit, with the folders that
 * hold its server code and the tsconfig `tsc --noEmit` is compared against. Paths are relative to the repository
 * root, which is also the checkout root after `npm run corpus:extract`.
 */
export interface CorpusEntry {
  name: string;
  /** GitHub `owner/name`. */
  repository: string;
  commit: string;
  subpaths: string[];
  tsconfig: string;
  /** Globs left out of this entry's scan, on top of the corpus-wide `exclude`. */
  exclude?: string[];
  /**
   * A reviewer's decision on top of the recommended pack: the entry's own functions its policy lists as sanitizers
   * (call references, `file#name`, relative to the checkout root), as a team adopting flowgate would (docs/corpus.md).
   */
  sanitizers?: string[];
  /** How `npm run corpus:deps` installs the entry's dependencies in a copy of the checkout (install-recipe.ts). */
  install?: InstallRecipe;
}

export interface Corpus {
  /** Globs left out of every entry's scan (test code). */
  exclude: string[];
  entries: CorpusEntry[];
}

const relativePath = { type: "string", minLength: 1, pattern: "^(?!/)(?!.*(^|/)\\.\\.(/|$)).*[^/]$" };

const CORPUS_SCHEMA = {
  type: "object",
  required: ["exclude", "entries"],
  additionalProperties: false,
  properties: {
    $comment: { type: "string" },
    exclude: { type: "array", items: { type: "string", minLength: 1 } },
    entries: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["name", "repository", "commit", "subpaths", "tsconfig"],
        additionalProperties: false,
        properties: {
          name: { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$" },
          repository: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$" },
          commit: { type: "string", pattern: "^[0-9a-f]{40}$" },
          subpaths: { type: "array", minItems: 1, items: relativePath },
          tsconfig: relativePath,
          exclude: { type: "array", items: { type: "string", minLength: 1 } },
          sanitizers: { type: "array", items: { type: "string", pattern: "^[^#\\s]+#[^#\\s]+$" } },
          install: RECIPE_SCHEMA,
        },
      },
    },
  },
} as const;

export function parseCorpus(text: string, file: string): Corpus {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  const validate = new Ajv({ allErrors: true }).compile(CORPUS_SCHEMA);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
    throw new Error(`${file}: invalid corpus file:\n  ${problems.join("\n  ")}`);
  }
  const corpus = data as unknown as Corpus;
  const seen = new Set<string>();
  for (const entry of corpus.entries) {
    if (seen.has(entry.name)) throw new Error(`${file}: entry name "${entry.name}" appears twice`);
    seen.add(entry.name);
    const problems = entry.install ? recipeProblems(entry.install) : [];
    if (problems.length > 0) throw new Error(`${file}: entry "${entry.name}": install: ${problems.join("; ")}`);
  }
  return corpus;
}

export function loadCorpus(file: string): Corpus {
  return parseCorpus(readFileSync(file, "utf8"), file);
}

/** The entries `--only a,b` names (all when `only` is empty); an unknown name is an error listing the known ones. */
export function selectEntries(corpus: Corpus, only: string): CorpusEntry[] {
  const names = only
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0) return corpus.entries;
  const known = corpus.entries.map((e) => e.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new Error(`--only: unknown entr${unknown.length === 1 ? "y" : "ies"} ${unknown.join(", ")} (known: ${known.join(", ")})`);
  return corpus.entries.filter((e) => names.includes(e.name));
}

/** The globs an entry's scan selects: its subpaths, relative to the checkout root (the scan root). */
export function includesOf(entry: CorpusEntry): string[] {
  return entry.subpaths.map((subpath) => `${subpath}/**`);
}

/** The globs an entry's scan leaves out. */
export function excludesOf(corpus: Corpus, entry: CorpusEntry): string[] {
  return [...corpus.exclude, ...(entry.exclude ?? [])];
}

/** The repository root, from the compiled harness (bench/out/build/corpus/) or from the sources under test. */
export function repositoryRoot(moduleDir: string): string {
  let dir = moduleDir;
  while (!isRepositoryRoot(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no flowgate checkout above ${moduleDir}`);
    dir = parent;
  }
  return dir;
}

function isRepositoryRoot(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name === "flowgate";
  } catch {
    return false;
  }
}
