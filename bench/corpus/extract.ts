import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readExtracted, recordExtracted, type ExtractedRecord } from "./checkouts.js";
import { loadCorpus, repositoryRoot, selectEntries } from "./corpus-file.js";
import { extractCommit, MissingCommitError, mirrorGitDir } from "./git-snapshot.js";

/**
 * `npm run corpus:extract -- --mirror DIR --dir OUT`: writes each corpus entry's snapshot, at the commit
 * bench/corpus.json pins, to OUT/<name> (outside this repository), and records what was extracted in
 * OUT/extracted.json, which `npm run corpus` reads to say which commit it measured.
 */
const REPO = repositoryRoot(path.dirname(fileURLToPath(import.meta.url)));

const HELP = `usage: npm run corpus:extract -- --mirror DIR --dir OUT [--only a,b] [--force]

  --mirror DIR   snapshots: DIR/<owner>+<name>/repo is a git directory (bare, or a clone with .git)
  --dir OUT      where checkouts go: OUT/<name> (must be outside this repository)
  --only LIST    only these entries (comma-separated names from bench/corpus.json)
  --force        replace OUT/<name> even when it exists and was not extracted at the listed commit
`;

function main(): number {
  const { values } = parseArgs({
    options: {
      mirror: { type: "string" },
      dir: { type: "string" },
      only: { type: "string", default: "" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.mirror || !values.dir) throw new Error(`--mirror and --dir are required\n${HELP}`);
  const mirror = path.resolve(values.mirror);
  const out = path.resolve(values.dir);
  if (!path.relative(REPO, out).startsWith("..")) throw new Error(`--dir ${out} is inside the flowgate repository: corpus code never enters it`);
  const entries = selectEntries(loadCorpus(path.join(REPO, "bench/corpus.json")), values.only);
  mkdirSync(out, { recursive: true });
  const failed: string[] = [];
  for (const entry of entries) {
    const dest = path.join(out, entry.name);
    const extracted = readExtracted(out);
    if (existsSync(dest) && extracted[entry.name]?.commit === entry.commit && !values.force) {
      log(`${entry.name}: already extracted at ${entry.commit.slice(0, 12)} (${dest}); --force to redo`);
      continue;
    }
    if (existsSync(dest) && !values.force) {
      log(`${entry.name}: ${dest} exists but was not extracted at ${entry.commit.slice(0, 12)} by this command; --force replaces it`);
      failed.push(entry.name);
      continue;
    }
    const partial = `${dest}.partial`;
    rmSync(partial, { recursive: true, force: true });
    try {
      const result = extractCommit(mirrorGitDir(mirror, entry.repository), entry.commit, partial);
      rmSync(dest, { recursive: true, force: true });
      renameSync(partial, dest);
      const record: ExtractedRecord = { repository: entry.repository, ...result };
      recordExtracted(out, entry.name, record);
      log(`${entry.name}: ${entry.repository}@${entry.commit.slice(0, 12)} → ${dest} (${result.files} files)`);
      for (const file of result.leftOut) log(`${entry.name}:   left out (blob not in the snapshot): ${file}`);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      if (!(error instanceof MissingCommitError)) throw error;
      log(`${entry.name}: NOT EXTRACTED: ${error.message}`);
      failed.push(entry.name);
    }
  }
  if (failed.length > 0) log(`not extracted: ${failed.join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

function log(message: string): void {
  process.stderr.write(`corpus:extract: ${message}\n`);
}

try {
  process.exitCode = main();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
