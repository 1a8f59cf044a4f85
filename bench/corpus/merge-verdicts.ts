import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadCorpus, repositoryRoot } from "./corpus-file.js";
import { mergeVerdicts, renderVerdictsFile, verdictProblem, type Verdict, type VerdictsFile } from "./verdicts.js";

/**
 * `npm run corpus:verdicts -- --from FILE…`: merges judged results (a list of verdicts, as `npm run corpus -- --unjudged`
 * writes them and a person fills them in) into bench/corpus-verdicts.json. Every verdict is checked; one that is
 * malformed or still unfilled is printed and the command exits 1, so none is dropped unseen. The well-formed ones are
 * merged either way: one for the same result on the same path replaces the earlier verdict.
 */
const REPO = repositoryRoot(path.dirname(fileURLToPath(import.meta.url)));

const HELP = `usage: npm run corpus:verdicts -- --from FILE [--from FILE…] [--into FILE]

  --from FILE   a JSON list of verdicts (repeatable)
  --into FILE   the verdicts file, read first (default: bench/corpus-verdicts.json)
`;

function main(): number {
  const { values } = parseArgs({
    options: {
      from: { type: "string", multiple: true, default: [] },
      into: { type: "string", default: path.join(REPO, "bench/corpus-verdicts.json") },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.from.length === 0) throw new Error(`--from is required\n${HELP}`);
  const entries = loadCorpus(path.join(REPO, "bench/corpus.json")).entries.map((e) => e.name);
  const into = path.resolve(values.into);
  const file = JSON.parse(readFileSync(into, "utf8")) as VerdictsFile;
  const accepted: Verdict[] = [];
  const rejected: string[] = [];
  for (const from of values.from) {
    const list: unknown = JSON.parse(readFileSync(path.resolve(from), "utf8"));
    if (!Array.isArray(list)) {
      rejected.push(`${from}: not a JSON list of verdicts`);
      continue;
    }
    list.forEach((value: unknown, i) => {
      const problem = verdictProblem(value, entries);
      if (problem) rejected.push(`${from}[${i}]: ${problem}`);
      else accepted.push(value as Verdict);
    });
  }
  const { verdicts, replaced } = mergeVerdicts(file.verdicts, accepted);
  writeFileSync(into, renderVerdictsFile({ ...file, verdicts }));
  process.stderr.write(`corpus:verdicts: ${accepted.length} merged (${replaced} replaced an earlier verdict), ${verdicts.length} in ${into}\n`);
  for (const r of rejected) process.stderr.write(`corpus:verdicts: rejected ${r}\n`);
  return rejected.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`corpus:verdicts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
