import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readExtracted, recordExtracted } from "./checkouts.js";
import { copyCheckout } from "./copy-checkout.js";
import { readDepsRecords, writeDepsRecord } from "./deps-record.js";
import { loadCorpus, repositoryRoot, selectEntries, type CorpusEntry } from "./corpus-file.js";
import { cleanEnvironment, installInvocation, recipeProblems, YARN_RC, yarnConfig, type InstallRecipe } from "./install-recipe.js";
import { toolRuntime, toolScript } from "./package-tool.js";

/**
 * `npm run corpus:deps -- --dir DIR --deps-dir DEPS`: copies each checkout DIR/<name> to DEPS/<name> and installs its
 * dependencies there by the entry's recipe in bench/corpus.json, so that `npm run corpus -- --dir DEPS` compares a
 * scan with tsc as a gateway's CI runs it, dependencies installed (docs/corpus.md). DIR is never written to.
 */
const REPO = repositoryRoot(path.dirname(fileURLToPath(import.meta.url)));

const HELP = `usage: npm run corpus:deps -- --dir DIR --deps-dir DEPS [--only a,b] [--force] [--timeout MIN]

  --dir DIR        checkouts (npm run corpus:extract writes them); only read
  --deps-dir DEPS  where the copies go: DEPS/<name>, with the install's log in DEPS/<name>.install.log
  --only LIST      only these entries (comma-separated names from bench/corpus.json)
  --force          redo an entry whose copy exists (it is deleted and copied again)
  --timeout MIN    per-install limit in minutes (default 30)
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      dir: { type: "string" },
      "deps-dir": { type: "string" },
      only: { type: "string", default: "" },
      force: { type: "boolean", default: false },
      timeout: { type: "string", default: "30" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.dir || !values["deps-dir"]) throw new Error(`--dir and --deps-dir are required\n${HELP}`);
  const dir = path.resolve(values.dir);
  const out = path.resolve(values["deps-dir"]);
  if (!path.relative(REPO, out).startsWith("..")) throw new Error(`--deps-dir ${out} is inside the flowgate repository: corpus code never enters it`);
  const timeoutMs = Number(values.timeout) * 60_000;
  if (!(timeoutMs > 0)) throw new Error(`--timeout must be a positive number of minutes`);
  const entries = selectEntries(loadCorpus(path.join(REPO, "bench/corpus.json")), values.only);
  mkdirSync(out, { recursive: true });
  const failed: string[] = [];
  for (const entry of entries) {
    const status = await installEntry(entry, dir, out, values.force, timeoutMs);
    if (status === "failed") failed.push(entry.name);
  }
  if (failed.length > 0) log(`not installed: ${failed.join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

async function installEntry(entry: CorpusEntry, dir: string, out: string, force: boolean, timeoutMs: number): Promise<"ok" | "failed" | "skipped"> {
  const recipe = entry.install;
  const source = path.join(dir, entry.name);
  const dest = path.join(out, entry.name);
  if (!recipe) return say(entry, "failed", "no install recipe in bench/corpus.json");
  const problems = recipeProblems(recipe);
  if (problems.length > 0) return say(entry, "failed", problems.join("; "));
  if (!existsSync(source)) return say(entry, "failed", `no checkout at ${source} (npm run corpus:extract)`);
  const extracted = readExtracted(dir)[entry.name];
  if (extracted?.commit !== entry.commit) return say(entry, "failed", `${source} was not extracted at ${entry.commit.slice(0, 12)} by corpus:extract`);
  const previous = readDepsRecords(out)[entry.name];
  if (existsSync(dest) && !force) {
    const same = previous?.status === "ok" && previous.commit === entry.commit && sameInstall(previous.recipe, recipe);
    return same ? say(entry, "skipped", `already installed in ${dest}; --force to redo`) : say(entry, "failed", `${dest} exists (${previous ? `install ${previous.status}` : "not written by this command"}); --force replaces it`);
  }
  rmSync(dest, { recursive: true, force: true });
  copyCheckout(source, dest);
  recordExtracted(out, entry.name, extracted);
  if (recipe.manager === "yarn") {
    const yarnrc = path.join(dest, ".yarnrc.yml");
    writeFileSync(path.join(dest, YARN_RC), yarnConfig(existsSync(yarnrc) ? readFileSync(yarnrc, "utf8") : undefined));
  }
  const started = Date.now();
  const logFile = path.join(out, `${entry.name}.install.log`);
  let run: { code: number | null; tail: string[]; timedOut: boolean };
  try {
    const script = toolScript(path.join(out, ".tools"), recipe);
    const invocation = installInvocation(recipe);
    log(`${entry.name}: ${recipe.manager}@${recipe.version}${recipe.node ? ` on Node ${recipe.node}` : ""} ${invocation.args.join(" ")} (in ${recipe.dir ?? "."})`);
    run = await runLogged(toolRuntime(path.join(out, ".tools"), recipe), [script, ...invocation.args], path.join(dest, recipe.dir ?? "."), cleanEnvironment(process.env, invocation), logFile, timeoutMs);
  } catch (error) {
    run = { code: null, tail: [(error as Error).message], timedOut: false };
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const ok = run.code === 0;
  const bytes = ok ? nodeModulesBytes(dest) : undefined;
  writeDepsRecord(out, entry.name, { commit: entry.commit, recipe, status: ok ? "ok" : "failed", seconds, ...(bytes === undefined ? {} : { nodeModulesBytes: bytes }) });
  if (ok) return say(entry, "ok", `${seconds} s, node_modules ${bytes === undefined ? "?" : `${(bytes / 2 ** 30).toFixed(2)} GiB`}`);
  const why = run.timedOut ? `timed out after ${timeoutMs / 60_000} min` : `exit ${run.code ?? "?"}`;
  return say(entry, "failed", `${why} after ${seconds} s; the tool's last lines (all in ${logFile}):\n    ${run.tail.join("\n    ")}`);
}

/** Runs a command with its output to a log file, keeping the last lines; the whole process group dies on timeout. */
function runLogged(command: string, args: string[], cwd: string, env: Record<string, string>, logFile: string, timeoutMs: number): Promise<{ code: number | null; tail: string[]; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const logStream = createWriteStream(logFile);
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let tail: string[] = [];
    const keep = (chunk: Buffer) => {
      logStream.write(chunk);
      tail = [...tail, ...chunk.toString("utf8").split("\n").filter((line) => line.trim() !== "")].slice(-15);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      logStream.end();
      resolve({ code, tail, timedOut });
    });
  });
}

/** Bytes on disk of every node_modules folder in the copy (not those inside another), hard links counted once. */
function nodeModulesBytes(root: string): number | undefined {
  const folders: string[] = [];
  const walk = (dir: string) => {
    for (const child of readdirSync(dir, { withFileTypes: true })) {
      if (!child.isDirectory() || child.name === ".git") continue;
      const full = path.join(dir, child.name);
      if (child.name === "node_modules") folders.push(full);
      else walk(full);
    }
  };
  walk(root);
  if (folders.length === 0) return 0;
  const du = spawnSync("du", ["-sck", ...folders], { encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  const total = /^(\d+)\s+total$/m.exec(du.stdout ?? "");
  return total ? Number(total[1]) * 1024 : undefined;
}

/** Whether two recipes install alike (their `why` is only words). */
function sameInstall(a: InstallRecipe, b: InstallRecipe): boolean {
  const what = (r: InstallRecipe) => JSON.stringify([r.manager, r.version, r.node ?? "", r.dir ?? ".", r.args]);
  return what(a) === what(b);
}

function say(entry: CorpusEntry, status: "ok" | "failed" | "skipped", message: string): "ok" | "failed" | "skipped" {
  log(`${entry.name}: ${status === "ok" ? "ok" : status === "failed" ? "FAILED" : "skipped"}: ${message}`);
  return status;
}

function log(message: string): void {
  process.stderr.write(`corpus:deps: ${message}\n`);
}

try {
  process.exitCode = await main();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
