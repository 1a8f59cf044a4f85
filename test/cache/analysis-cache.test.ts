import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan, type ScanOptions } from "../../src/scan.js";
import type { ScanResult } from "../../src/result.js";
import type { CacheOptions } from "../../src/cache/analysis-cache.js";
import { flatTable, tableEntries, type Table } from "../../src/cache/graph-codec.js";
import { createRepo, type TestRepo } from "../diff/support/git-repo.js";
import { BASE, BRANCHES as UPDATES } from "../diff/support/update-repo.js";

// The persistent analysis cache (src/cache/) is an optimisation, never a source of truth. The yardstick is the same
// scan without it: a full scan that starts from an earlier tree's entry, and an update review whose head starts from
// the base's entry (as a pull request's run starts from the default branch's), must come out finding for finding,
// fingerprint for fingerprint, as without the cache — for updates that reach untouched code through a call, a
// constant, a type, an injected class, added, deleted and renamed files, and a policy edit. An entry that does not
// check out (corrupt, unsigned when a key is set, tampered) is ignored with a note.

// The update-review repository (test/diff/support/update-repo.ts), plus updates through a module binding, a rename and
// the policy.
const BRANCHES: Record<string, Record<string, string | null>> = {
  ...UPDATES,
  // a module binding written in one file and read in another (a flow-insensitive store): the phone reaches the log
  store: { "src/orders/remember.ts": BASE["src/orders/remember.ts"]!.replace("registry.last = user.id;", "registry.last = user.phone;") },
  // the store written in other words, the same value: its readers in untouched files are not analysed again
  "store-same": { "src/orders/remember.ts": BASE["src/orders/remember.ts"]!.replace("registry.count += 1;", "registry.count = registry.count + 1;") },
  // an export nobody imports appended to a file others import (their imports did not change: they are not analysed
  // again), and the same file's imported function edited (they are)
  "export-unused": { "src/legacy/old.ts": `${BASE["src/legacy/old.ts"]!}export const LEGACY_VERSION = 2;\n` },
  "export-used": { "src/legacy/old.ts": BASE["src/legacy/old.ts"]!.replace(`"legacy"`, `"legacy v2"`) },
  // a renamed file, its importer following
  renamed: {
    "src/legacy/old.ts": null,
    "src/legacy/older.ts": BASE["src/legacy/old.ts"]!,
    "src/main.ts": BASE["src/main.ts"]!.replace(`"./legacy/old"`, `"./legacy/older"`),
  },
  // a policy edit: the analytics host is no longer vetted (the full scan's environment changes; an update review
  // judges by the base's policy)
  policy: { "flowgate.config.yaml": BASE["flowgate.config.yaml"]!.replace(`hosts: ["*.enclave.eu.internal"]`, `hosts: ["*.other.example"]`) },
};

let repo: TestRepo;
let scratch: string;

beforeAll(() => {
  repo = createRepo(BASE);
  for (const [name, files] of Object.entries(BRANCHES)) repo.branch(name, files);
  scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-cache-test-"));
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** The result as data that must not depend on the cache: every finding with its state, rule, place and fingerprint. */
function summary(result: ScanResult): string[] {
  return result.findings.map(
    (f) =>
      `${f.baselineState ?? "-"} ${f.ruleId} ${f.location.file}:${f.location.startLine} ${[...new Set((f.flows ?? []).map((flow) => flow.dataClass))].sort().join(",")} ${f.fingerprint} ${(f.flows ?? []).map((flow) => flow.steps.length).join(",")}`,
  );
}

function notesOf(result: ScanResult): string[] {
  return result.notifications.filter((n) => !n.id.startsWith("analysis-cache") && n.id !== "update-reuse").map((n) => `${n.id} ${n.message}`).sort();
}

function cacheNote(result: ScanResult, id = "analysis-cache"): string {
  return result.notifications.find((n) => n.id === id)?.message ?? "";
}

let dirs = 0;
/** A fresh cache with main's full scan in it, as the default branch's CI run leaves it. */
async function warmCache(options: Partial<CacheOptions> = {}): Promise<CacheOptions> {
  const cache = { dir: path.join(scratch, `cache-${dirs++}`), ...options };
  repo.git("checkout", "-q", "main");
  const first = await scan({ root: repo.dir, cache });
  expect(cacheNote(first)).toBe("");
  return cache;
}

async function on(branch: string, options: Omit<ScanOptions, "root">): Promise<ScanResult> {
  repo.git("checkout", "-q", branch);
  return scan({ root: repo.dir, ...options });
}

describe("the analysis cache gives the scan it would have given without it", () => {
  it("a full scan of the same tree takes every function from the cache", async () => {
    const cache = await warmCache();
    const cached = await on("main", { cache });
    const plain = await on("main", {});
    expect(cacheNote(cached)).toMatch(/read from the cache/);
    expect(cached.stats.functionsAnalysed).toBe(0);
    expect(summary(cached)).toEqual(summary(plain));
    expect(notesOf(cached)).toEqual(notesOf(plain));
    expect(summary(plain).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(BRANCHES))("%s: full scan and update review from main's entry equal those without the cache", async (name) => {
    const cache = await warmCache();
    const full = await on(name, { cache: { ...cache, readOnly: true } });
    const fullPlain = await on(name, {});
    expect(summary(full)).toEqual(summary(fullPlain));
    expect(notesOf(full)).toEqual(notesOf(fullPlain));
    // a changed file made visible without an import reaches files no import graph names: the entry is not started from
    const global = name === "global-script" || name === "declare-global" || name === "auto-import";
    if (name === "auto-import") expect(cacheNote(full)).toMatch(/^The cache entry was not used: src\/web\/server\/utils\/audit\.ts is auto-imported by Nitro/);
    else if (global) expect(cacheNote(full)).toMatch(/^The cache entry was not used: src\/orders\/printer\.ts (is a global script|declares ambient)/);
    else if (name !== "policy" && name !== "settings") {
      expect(cacheNote(full)).toMatch(/started from the cache .*: [1-9]\d* file\(s\) changed/);
      expect(full.stats.functionsAnalysed).toBeLessThan(fullPlain.stats.functionsAnalysed);
    }

    for (const newOnly of [true, false]) {
      const review = await on(name, { base: "main", newOnly, cache: { ...cache, readOnly: true } });
      const scratchReview = await on(name, { base: "main", newOnly, reuseAnalysis: false });
      expect(summary(review)).toEqual(summary(scratchReview));
      // the head started from main's entry: only what the update can reach was analysed, on either side (new compiler
      // settings are another environment: main's entry does not apply)
      if (name === "settings") continue;
      expect(cacheNote(review)).toMatch(global ? /^The cache entry was not used/ : /(started from|read from) the cache/);
      // and the base, main's very tree, came from main's entry as it is
      expect(cacheNote(review, "update-reuse")).toMatch(/base revision's analysis was read from the analysis cache/);
      if (!global) expect(review.stats.functionsAnalysed).toBeLessThan(scratchReview.stats.functionsAnalysed);
    }
  });
});

describe("the cache's entry is taken over where the change cannot reach", () => {
  // The same reviews as without the cache are checked above for every branch; here, that less is analysed when less
  // can be reached: a store whose value did not change keeps its readers, an export nobody imports keeps the importers.
  it("a store rewritten to the same value, and an unused export, redo less than a changed value or a used export", async () => {
    const cache = await warmCache();
    const analysed = async (branch: string) => (await on(branch, { cache: { ...cache, readOnly: true } })).stats.functionsAnalysed;
    expect(await analysed("store-same")).toBeLessThan(await analysed("store"));
    expect(await analysed("export-unused")).toBeLessThan(await analysed("export-used"));
  });
});

describe("a store holding a changed file's function", () => {
  // A module binding that holds a function (an object of handlers) is a store value whose nodes lie in its file: when
  // the file changes, the entry's value cannot be found again, so it is not compared but rebuilt, and its readers are
  // analysed again — whether the function changed or not.
  const HOOKS: Record<string, string> = {
    "flowgate.config.yaml": "extends: recommended\n",
    "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
    "src/hooks.ts": `export const hooks = {\n  audit: (phone: string): void => {\n    console.log("audit", phone);\n  },\n};\n`,
    "src/save.ts": `import { hooks } from "./hooks";\n\nexport function save(user: { id: string; phone: string }): void {\n  hooks.audit(user.phone);\n}\n`,
  };
  let hooksRepo: TestRepo;
  beforeAll(() => {
    hooksRepo = createRepo(HOOKS);
    hooksRepo.branch("appended", { "src/hooks.ts": `${HOOKS["src/hooks.ts"]!}export const VERSION = 2;\n` });
    hooksRepo.branch("quiet", { "src/hooks.ts": HOOKS["src/hooks.ts"]!.replace(`console.log("audit", phone);`, `void phone;`) });
  });
  afterAll(() => hooksRepo.remove());

  it.each(["appended", "quiet"])("%s: the same scan and review as without the cache, and no internal error", async (branch) => {
    const cache = { dir: path.join(scratch, `cache-${dirs++}`) };
    hooksRepo.git("checkout", "-q", "main");
    const warm = await scan({ root: hooksRepo.dir, cache });
    expect(summary(warm).length).toBeGreaterThan(0);
    hooksRepo.git("checkout", "-q", branch);
    const full = await scan({ root: hooksRepo.dir, cache: { ...cache, readOnly: true } });
    const plain = await scan({ root: hooksRepo.dir });
    expect(summary(full)).toEqual(summary(plain));
    expect(notesOf(full)).toEqual(notesOf(plain));
    const review = await scan({ root: hooksRepo.dir, base: "main", newOnly: false, cache: { ...cache, readOnly: true } });
    const scratchReview = await scan({ root: hooksRepo.dir, base: "main", newOnly: false, reuseAnalysis: false });
    expect(summary(review)).toEqual(summary(scratchReview));
    expect(notesOf(review)).toEqual(notesOf(scratchReview));
  });
});

/** The entry file of a cache directory (the warm-up writes one). */
function entryOf(cache: CacheOptions): string {
  const [name] = readdirSync(cache.dir).filter((n) => n.endsWith(".fgc"));
  return path.join(cache.dir, name!);
}

/**
 * Rewrites an entry so that it hides the leaks: every record's flows and every summary's sinks emptied. With
 * `reseal`, the checksum is made to match again (what an attacker writing the cache can do; no one can forge a
 * signature without the key).
 */
function tamper(file: string, reseal: boolean): void {
  const raw = readFileSync(file, "utf8");
  const newline = raw.indexOf("\n");
  const body = JSON.parse(raw.slice(newline + 1)) as { state: { graph: Table; records: unknown[][] } };
  const graph = tableEntries(body.state.graph);
  const empty = graph.findIndex((e) => e[0] === "A" && e.length === 1);
  expect(empty).toBeGreaterThanOrEqual(0);
  graph.forEach((e, i) => {
    if (e[0] === "Y" && i > empty) e[3] = empty;
  });
  for (const r of body.state.records) r[8] = empty;
  body.state.graph = flatTable(graph);
  const text = JSON.stringify(body);
  const seal = reseal ? `sha256 ${createHash("sha256").update(text).digest("hex")}` : raw.slice(0, newline);
  writeFileSync(file, `${seal}\n${text}`);
}

describe("an entry that does not check out is ignored, with a note", () => {
  it("a corrupt entry", async () => {
    const cache = await warmCache();
    writeFileSync(entryOf(cache), "sha256 00\n{ not json");
    const result = await on("main", { cache });
    expect(cacheNote(result, "analysis-cache-ignored")).toMatch(/was ignored \(its checksum does not match its content\)/);
    expect(summary(result)).toEqual(summary(await on("main", {})));
  });

  it("a tampered entry whose checksum no longer matches", async () => {
    const cache = await warmCache();
    tamper(entryOf(cache), false);
    const result = await on("callee", { base: "main", cache });
    expect(cacheNote(result, "analysis-cache-ignored")).toMatch(/checksum does not match/);
    expect(summary(result)).toEqual(summary(await on("callee", { base: "main", reuseAnalysis: false })));
  });

  it("with a signing key, a tampered entry (checksum made to match) is not used, and the leak it hides is reported", async () => {
    // The tampering is real: without a signing key, an entry rewritten with a matching checksum is believed — which is
    // why a pull request's run must never be able to write the cache a later run reads (docs/ci.md) or, where it can,
    // only entries signed with a key it does not hold are used.
    const unsigned = await warmCache();
    tamper(entryOf(unsigned), true);
    const fooled = await on("main", { cache: unsigned });
    expect(summary(fooled)).toEqual([]);

    const signed = await warmCache({ secret: "trusted-branch-key" });
    expect(readFileSync(entryOf(signed), "utf8")).toMatch(/^hmac-sha256 [0-9a-f]{64}\n/);
    tamper(entryOf(signed), true);
    const result = await on("main", { cache: signed });
    expect(cacheNote(result, "analysis-cache-ignored")).toMatch(/not signed, and a signing key is set/);
    expect(summary(result)).toEqual(summary(await on("main", {})));
    expect(summary(result).length).toBeGreaterThan(0);
  });

  describe("a leak through a member of a file the update did not change", () => {
    // A review walks only the changed files for the member index: the others' facts (which members a class tag
    // marks) come from the entry. Dropping a mark there hides a read the redone code makes of that member.
    const TAGGED: Record<string, string> = {
      "flowgate.config.yaml": "extends: recommended\n",
      "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
      "src/device.ts": `export interface Device {\n  id: string;\n  /** @restricted phone-number */\n  line: string;\n}\n`,
      // the member read is classified by the index (a parameter typed Device would be, by Device's fields, without it)
      "src/report.ts": `import type { Device } from "./device";

export class Reporter {
  constructor(private readonly devices: Map<string, Device>) {}

  report(id: string): void {
    const device = this.devices.get(id);
    console.log("device", device?.id);
  }
}
`,
    };
    let taggedRepo: TestRepo;
    beforeAll(() => {
      taggedRepo = createRepo(TAGGED);
      taggedRepo.branch("logs-line", { "src/report.ts": TAGGED["src/report.ts"]!.replace("device?.id", "device?.line") });
    });
    afterAll(() => taggedRepo.remove());

    // flags, flagsComplete, declared, settingsParts, then the member table (member-facts-codec.ts)
    type Members = Record<string, [unknown, unknown, unknown, unknown, [string | null, boolean, ...unknown[]][]]>;
    /** main's entry with device.ts's member facts rewritten by `edit` (and the checksum made to match). */
    async function tamperedFacts(options: Partial<CacheOptions>, edit: (members: Members) => void): Promise<CacheOptions> {
      const cache = { dir: path.join(scratch, `cache-${dirs++}`), ...options };
      taggedRepo.git("checkout", "-q", "main");
      await scan({ root: taggedRepo.dir, cache });
      const file = entryOf(cache);
      const raw = readFileSync(file, "utf8");
      const body = JSON.parse(raw.slice(raw.indexOf("\n") + 1)) as { members: Members };
      edit(body.members);
      const text = JSON.stringify(body);
      writeFileSync(file, `sha256 ${createHash("sha256").update(text).digest("hex")}\n${text}`);
      return cache;
    }
    /** The mark on `Device.line` dropped. */
    const tamperedMark = (options: Partial<CacheOptions>) =>
      tamperedFacts(options, (members) => {
        const line = members["src/device.ts"]![4].find((m) => m[0] === "line")!;
        expect(line[1]).toBe(true);
        line[1] = false;
      });

    it("without a key, a tampered mark is believed; with a key, the entry is refused and the leak reported", async () => {
      taggedRepo.git("checkout", "-q", "logs-line");
      const plain = await scan({ root: taggedRepo.dir, base: "main" });
      expect(summary(plain)).toHaveLength(1);
      expect(summary(plain)[0]).toMatch(/^new .* phone-number /);

      const unsigned = await tamperedMark({});
      taggedRepo.git("checkout", "-q", "logs-line");
      const fooled = await scan({ root: taggedRepo.dir, base: "main", cache: { ...unsigned, readOnly: true } });
      expect(cacheNote(fooled)).toMatch(/started from the cache/);
      expect(summary(fooled)).toEqual([]);

      const signed = await tamperedMark({ secret: "trusted-branch-key" });
      taggedRepo.git("checkout", "-q", "logs-line");
      const result = await scan({ root: taggedRepo.dir, base: "main", cache: { ...signed, readOnly: true } });
      expect(cacheNote(result, "analysis-cache-ignored")).toMatch(/not signed, and a signing key is set/);
      expect(summary(result)).toEqual(summary(plain));
    });

    it("facts an entry does not hold in their form are found again from the file", async () => {
      const cache = await tamperedFacts({}, (members) => {
        members["src/device.ts"]![4] = [["line", true, null, [7]]];
      });
      taggedRepo.git("checkout", "-q", "logs-line");
      const review = await scan({ root: taggedRepo.dir, base: "main", cache: { ...cache, readOnly: true } });
      expect(cacheNote(review)).toMatch(/started from the cache/);
      expect(summary(review)).toEqual(summary(await scan({ root: taggedRepo.dir, base: "main" })));
      expect(summary(review)).toHaveLength(1);
    });
  });

  it("with a signing key, an entry signed with another key is not used", async () => {
    const cache = await warmCache({ secret: "one-key" });
    const result = await on("main", { cache: { ...cache, secret: "another-key" } });
    expect(cacheNote(result, "analysis-cache-ignored")).toMatch(/signature does not match/);
    expect(result.stats.functionsAnalysed).toBeGreaterThan(0);
  });

  it("writing an entry keeps the folder bounded: other environments' entries beyond the newest sixteen, and any over two weeks old, go", async () => {
    const cache = await warmCache();
    const old = Date.now() / 1000 - 30 * 24 * 3600;
    for (let i = 0; i < 20; i++) {
      const file = path.join(cache.dir, `other${String(i).padStart(15, "0")}-tree.fgc`);
      writeFileSync(file, "sha256 00\n{}");
      if (i < 3) utimesSync(file, old, old);
    }
    await on("constant", { cache });
    // the entries (the imported files' memo, which holds the parse verdicts, is a file of its own)
    const left = readdirSync(cache.dir).filter((n) => n.endsWith(".fgc"));
    expect(left.length).toBe(16);
    expect(left).not.toContain("other000000000000000-tree.fgc"); // the three aged ones
    expect(left).not.toContain("other000000000000002-tree.fgc");
    expect(left.filter((n) => !n.startsWith("other")).length).toBe(1); // the new one (main's is older than the others)
  });

  it("a read-only cache is used but never written", async () => {
    const cache = await warmCache();
    const before = readdirSync(cache.dir);
    await on("constant", { cache: { ...cache, readOnly: true } });
    expect(readdirSync(cache.dir)).toEqual(before);
    await on("constant", { cache });
    expect(readdirSync(cache.dir).length).toBe(before.length + 1);
  });
});
