import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadCorpus, repositoryRoot } from "./corpus-file.js";
import { mergeJudged, validateJudged, type Judged, type Rejection } from "./judged.js";

/**
 * `npm run corpus:judged -- --from DIR`: merges every DIR/*.json (judgements written by reading a corpus entry's code)
 * into bench/corpus-judged.json. Each judgement is validated; a malformed one, one for an unknown entry, one that
 * contradicts an accepted judgement or (with --dir) one pointing at a line the checkout does not have is rejected and
 * printed, and the command exits 1 so a rejection is never missed. The accepted ones are written either way.
 */
const REPO = repositoryRoot(path.dirname(fileURLToPath(import.meta.url)));

const HELP = `usage: npm run corpus:judged -- --from DIR [--into FILE] [--dir CHECKOUTS]

  --from DIR       judged files to merge (every *.json in DIR, in name order)
  --into FILE      the merged file, read first when it exists (default: bench/corpus-judged.json)
  --dir CHECKOUTS  also check that each judged file:line exists in CHECKOUTS/<name>
`;

function main(): number {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      into: { type: "string", default: path.join(REPO, "bench/corpus-judged.json") },
      dir: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.from) throw new Error(`--from is required\n${HELP}`);
  const names = loadCorpus(path.join(REPO, "bench/corpus.json")).entries.map((e) => e.name);
  const into = path.resolve(values.into);
  const rejected: Rejection[] = [];
  let merged: Judged = { entries: {} };
  const sources = existsSync(into) ? [into] : [];
  const from = path.resolve(values.from);
  sources.push(
    ...readdirSync(from)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => path.join(from, f)),
  );
  for (const source of sources) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(source, "utf8"));
    } catch (error) {
      rejected.push({ where: source, problem: `not JSON (${(error as Error).message})` });
      continue;
    }
    const valid = validateJudged(data, source, names);
    rejected.push(...valid.rejected);
    const checked = values.dir ? checkPlaces(valid.judged, path.resolve(values.dir), source) : { judged: valid.judged, rejected: [] };
    rejected.push(...checked.rejected);
    const next = mergeJudged(merged, checked.judged, source);
    rejected.push(...next.rejected);
    merged = next.judged;
  }
  writeFileSync(into, JSON.stringify(merged, null, 2) + "\n");
  for (const [name, entry] of Object.entries(merged.entries)) log(`${name}: ${entry.leaks.length} leaks, ${entry.negatives.length} negatives`);
  log(`merged ${sources.length} file(s) into ${into}`);
  for (const r of rejected) log(`REJECTED ${r.where}: ${r.problem}`);
  if (rejected.length > 0) log(`${rejected.length} judgement(s) rejected, listed above`);
  return rejected.length > 0 ? 1 : 0;
}

/** Leaves out judgements whose file is not in the checkout or whose line is past its end. */
function checkPlaces(judged: Judged, dir: string, source: string): { judged: Judged; rejected: Rejection[] } {
  const rejected: Rejection[] = [];
  const kept: Judged = { entries: {} };
  for (const [name, entry] of Object.entries(judged.entries)) {
    const ok = (kind: string, file: string, line: number) => {
      const full = path.join(dir, name, file);
      const lines = existsSync(full) ? readFileSync(full, "utf8").split("\n").length : 0;
      if (line <= lines) return true;
      rejected.push({ where: `${source}: entries.${name} ${kind} at ${file}:${line}`, problem: lines === 0 ? `${file} is not in ${path.join(dir, name)}` : `${file} has ${lines} lines, not ${line}` });
      return false;
    };
    kept.entries[name] = {
      leaks: entry.leaks.filter((l) => ok("leak", l.file, l.line)),
      negatives: entry.negatives.filter((n) => ok("negative", n.file, n.line)),
    };
  }
  return { judged: kept, rejected };
}

function log(message: string): void {
  process.stderr.write(`corpus:judged: ${message}\n`);
}

try {
  process.exitCode = main();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
