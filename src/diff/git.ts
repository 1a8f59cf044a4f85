import { execFile, spawnSync } from "node:child_process";
import path from "node:path";
import { UsageError } from "../errors.js";

/**
 * Git, run as a child process with an argument array (never a shell string: refs and paths come from the user and
 * from pull requests). Synchronous on purpose: policy files are read through the synchronous PolicySource interface,
 * and the handful of git calls of an update review cost milliseconds next to the scans around them.
 */
export interface GitResult {
  status: number;
  stdout: Buffer;
  stderr: string;
}

// A base tree or a diff of a large gateway can be tens of megabytes; past this we would rather fail loudly.
const MAX_OUTPUT = 1024 * 1024 * 1024;

/**
 * Runs git in `cwd`; never throws for a non-zero exit (the caller decides what it means). Its warnings are kept too
 * (`stderr` of a run that succeeded: a review reads the diff from the merge base git finds only when git said nothing).
 */
export function runGit(cwd: string, args: string[], input?: string | Buffer): GitResult {
  const result = spawnSync("git", gitArgs(args), { cwd, input, maxBuffer: MAX_OUTPUT, stdio: ["pipe", "pipe", "pipe"], env: gitEnv() });
  const error = result.error as NodeJS.ErrnoException | undefined;
  if (error?.code === "ENOENT") throw new UsageError("update review needs git, and `git` was not found on the PATH");
  // anything else (output past the limit, a signal) is thrown, as execFileSync throws it
  if (error !== undefined) throw error;
  if (result.status === null) throw new Error(`git ${args[0] ?? ""} was ended by ${result.signal ?? "a signal"}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString("utf8").trim() };
}

/**
 * runGit without waiting: the review's diff, the working tree's state and HEAD's policy files are read by git while the
 * head's files are listed (and the state while they are analysed; review-update.ts). A successful run's warnings are
 * kept, as runGit keeps them.
 */
export function runGitAsync(cwd: string, args: string[], input?: string | Buffer): Promise<GitResult> {
  return startGit(cwd, args).end(input);
}

/** A git process started, whose input is written as the caller learns it: `end` writes the last of it and waits. */
export interface StartedGit {
  write(input: string | Buffer): void;
  end(input?: string | Buffer): Promise<GitResult>;
}

/** runGitAsync with its input open (RevisionObjects.prefetch: names asked at once, more when the diff has named them). */
export function startGit(cwd: string, args: string[]): StartedGit {
  let child: ReturnType<typeof execFile> | undefined;
  const result = new Promise<GitResult>((resolve, reject) => {
    child = execFile("git", gitArgs(args), { cwd, maxBuffer: MAX_OUTPUT, env: gitEnv(), encoding: "buffer" }, (err, stdout, stderr) => {
      if (err === null) return resolve({ status: 0, stdout, stderr: stderr.toString("utf8").trim() });
      const e = err as NodeJS.ErrnoException & { code?: number | string };
      if (e.code === "ENOENT") return reject(new UsageError("update review needs git, and `git` was not found on the PATH"));
      // a non-zero exit (execFile's code is then the status); anything else (a signal, output past the limit) is thrown
      if (typeof e.code !== "number") return reject(err);
      resolve({ status: e.code, stdout, stderr: stderr.toString("utf8").trim() });
    });
  });
  // a failure is thrown by `end`, never an unhandled rejection before it
  result.catch(() => undefined);
  child?.stdin?.on("error", () => undefined); // a git that exits before reading its input
  return {
    write: (input) => void child?.stdin?.write(input),
    end: (input) => {
      child?.stdin?.end(input);
      return result;
    },
  };
}

/**
 * Options that make output machine-readable whatever the user's git config says: no pager, no colour, no external
 * diff driver, paths unquoted (UTF-8 as is), renames detected.
 */
function gitArgs(args: string[]): string[] {
  return ["-c", "core.quotePath=false", "-c", "color.ui=false", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", ...args];
}

function gitEnv(): NodeJS.ProcessEnv {
  // LC_ALL=C: messages we match (shallow, unknown revision) stay in English. GIT_TERMINAL_PROMPT: never wait for input.
  return { ...process.env, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", GIT_OPTIONAL_LOCKS: "0" };
}

export function firstLine(text: string): string {
  return (text.split("\n").find((l) => l.trim().length > 0) ?? "").trim();
}

/** Where the scan root sits in its repository. */
export interface Repository {
  /** Absolute path of the repository's top level. */
  top: string;
  /** The scan root relative to the top level, with forward slashes and a trailing slash ("" at the top). */
  prefix: string;
  shallow: boolean;
}

/** The repository that contains `root`; a UsageError when there is none. */
export function openRepository(root: string): Repository {
  const result = runGit(root, ["rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository"]);
  if (result.status !== 0) {
    throw new UsageError(`--base needs a git checkout, and ${root} is not inside one (${firstLine(result.stderr)}); use --diff FILE for a patch`);
  }
  const [top = root, prefix = "", shallow = "false"] = result.stdout.toString("utf8").split("\n");
  return { top: path.resolve(top), prefix, shallow: shallow.trim() === "true" };
}

/**
 * Whether `<ref>...HEAD` means the symmetric difference of `ref` and HEAD. A ref that starts with "-" would be an option
 * (without --verify, --end-of-options is echoed as a revision); an empty one would make `...HEAD` HEAD's difference with
 * itself, and one holding ".." another range.
 */
export function symmetricWithHead(ref: string): boolean {
  return !ref.startsWith("-") && ref.length > 0 && !ref.includes("..");
}

/**
 * The repository that contains `root` and the merge base of `ref` and HEAD in it, with one git process where the steps
 * one by one take five: `rev-parse` names the repository and, given the symmetric difference `<ref>...HEAD`, both
 * commits and their merge bases (`^<oid>` each, as `git merge-base --all` lists them). One merge base is the merge base;
 * with several (criss-cross merges) `merge-base` picks the one it always picked, and with none it says there is no
 * common ancestor. When that `rev-parse` fails (no repository, a ref that names no commit), the steps are taken one by
 * one, to say which.
 */
export function openMergeBase(root: string, ref: string): { repo: Repository; mergeBase: string } {
  if (symmetricWithHead(ref)) {
    const result = runGit(root, ["rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository", `${ref}...HEAD`]);
    // HEAD first, then the ref, then each merge base negated
    const [top, prefix, shallow, head, base, ...bases] = result.stdout.toString("utf8").split("\n").filter((line, i) => i < 3 || line.length > 0);
    const commit = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
    if (result.status === 0 && top && prefix !== undefined && shallow && head && base && commit.test(base) && commit.test(head) && bases.every((b) => b.startsWith("^") && commit.test(b.slice(1)))) {
      const repo = { top: path.resolve(top), prefix, shallow: shallow.trim() === "true" };
      return { repo, mergeBase: bases.length === 1 ? bases[0]!.slice(1) : mergeBaseOfCommits(repo, base, head, ref) };
    }
  }
  const repo = openRepository(root);
  return { repo, mergeBase: mergeBaseOf(repo, ref) };
}

/** The commit `ref` names, or undefined when it names none here. */
export function resolveCommit(repo: Repository, ref: string): string | undefined {
  if (ref.startsWith("-")) throw new UsageError(`--base: \`${ref}\` is not a git ref`);
  const result = runGit(repo.top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  return result.status === 0 ? result.stdout.toString("utf8").trim() : undefined;
}

/**
 * The merge base of `ref` and HEAD: what the update is compared with. In a shallow clone the base is often missing;
 * the error then says how to fetch it (CI checkouts default to depth 1).
 */
export function mergeBaseOf(repo: Repository, ref: string): string {
  const base = resolveCommit(repo, ref);
  if (base === undefined) {
    throw new UsageError(`--base: \`${ref}\` names no commit in this repository.${shallowHint(repo) || " Fetch it first (e.g. `git fetch origin main`)."}`);
  }
  const head = resolveCommit(repo, "HEAD");
  if (head === undefined) throw new UsageError("--base: the repository has no commit at HEAD yet");
  return mergeBaseOfCommits(repo, base, head, ref);
}

function mergeBaseOfCommits(repo: Repository, base: string, head: string, ref: string): string {
  const result = runGit(repo.top, ["merge-base", base, head]);
  if (result.status !== 0) {
    throw new UsageError(`--base: \`${ref}\` and HEAD have no common ancestor here.${shallowHint(repo) || " Are they from the same history?"}`);
  }
  return result.stdout.toString("utf8").trim();
}

function shallowHint(repo: Repository): string {
  return repo.shallow
    ? " This is a shallow clone: fetch the history the comparison needs, e.g. `git fetch --deepen=200 origin` or, with actions/checkout, `fetch-depth: 0`."
    : "";
}
