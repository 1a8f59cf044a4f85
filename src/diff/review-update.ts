import { readFileSync } from "node:fs";
import type { ts } from "ts-morph";
import path from "node:path";
import { CODE_POLICY_FILE_NAMES, findUserFile, loadPolicy, POLICY_FILE_NAMES, workingTreeSource, type PolicySource } from "../config/load-policy.js";
import { parsePolicyDocument } from "../config/policy-document.js";
import type { Policy } from "../config/policy.js";
import type { Question } from "../vocabulary/question.js";
import { UsageError } from "../errors.js";
import { presentFindings } from "../findings/build-findings.js";
import type { Finding } from "../findings/finding.js";
import { compareLocations } from "../location.js";
import type { Notification, ScanResult } from "../result.js";
import { compareWithBaseline, isReportedAsNew, newFlowsAtDoor } from "./baseline.js";
import { pathCodeReader } from "./path-code.js";
import { materializeRevision, modifiedSourceObjects, type MaterializedTree } from "./base-tree.js";
import { parseChangedFiles, type ChangedFile, type ChangedFiles } from "./changed-lines.js";
import { gitPolicySource } from "./git-policy-source.js";
import { RevisionObjects } from "./revision-objects.js";
import { firstLine, openMergeBase, runGit, runGitAsync, symmetricWithHead, type GitResult, type Repository } from "./git.js";
import { newDestinations } from "./new-destinations.js";
import { policyWeakenings, type HeadPolicy } from "./policy-changes.js";
import { worktreeState, type WorktreeState } from "./uncommitted.js";
import { materializeBeforePatch } from "./reverse-patch.js";
import { reviewFindings, type ReviewDraft } from "./review-findings.js";
import { removedSanitizers, withoutSanitizers } from "./sanitizer-removed.js";
import { readSarifBaseline } from "./sarif-baseline.js";
import { addedSuppressions } from "./suppressions-added.js";
import { affectedFiles, unfollowableChange, type AffectedFiles } from "./affected-files.js";
import type { AnalysisState } from "../dataflow/reuse.js";
import type { ScannedFile, Workspace } from "../workspace/workspace.js";
import { assertFilesSelected } from "../workspace/empty-scan.js";
import { readSourceSet, sourceSetOfChanged, tellRead, type SourceSet, type SourceSetOptions } from "../workspace/source-set.js";
import { modelledPackages } from "../model/packages.js";
import { compareStrings } from "../workspace/find-files.js";
import { INTERNAL_ERROR } from "../internal-errors.js";
import { realPath } from "../real-path.js";

/** What the user asked of update review (the CLI's --base, --diff, --baseline, … as library options). */
export interface UpdateReviewOptions {
  /** Git ref to compare with: the merge base of it and HEAD is the base revision. */
  base?: string;
  /** A unified diff whose result is the scanned directory (the reviewer received a patch, not a branch). */
  diff?: string;
  /** An earlier flowgate SARIF file to compare with by fingerprint. */
  baseline?: string;
  /** With `base`: compare the working tree (uncommitted and untracked files) rather than HEAD's commit. */
  includeWorktree?: boolean;
  /** Where the policy comes from: the base revision (default, trusted) or the head (explicit opt-out). */
  policyFrom?: "base" | "head";
  /** Report only what the update introduced, touched or fixed (default with base/diff), or every finding. */
  newOnly?: boolean;
  /**
   * With base/diff: take over the head's analysis of the files the update cannot affect when analysing the base
   * (default true). False analyses the base from scratch: slower, and the yardstick the reuse is tested against.
   */
  reuseAnalysis?: boolean;
}

/** What update review may hand one run of the pipeline besides the directory and the policy. */
export interface PipelineExtras {
  /** The files in scope, already read (for the base: its texts, with the head's compiler settings). */
  sources?: SourceSet;
  /** Wraps the engine's question (sanitizer-removed switches sanitizers off). */
  adjust?: (question: Question) => Question;
  /**
   * An earlier run over mostly the same code, and the files the difference can affect: the rest is taken over. As a
   * function, the files are asked for only when no cache entry of this very tree answers (`useCache: "exact"`), and
   * undefined means nothing can be taken over.
   */
  reuse?: {
    workspace: Workspace;
    analysis: AnalysisState;
    affectedFiles: ReadonlySet<string> | (() => ReadonlySet<string> | undefined);
    changedNodes?: ReadonlySet<ts.Node>;
  };
  /**
   * Start from the persistent analysis cache (when the scan has one) and write this run's analysis to it; "exact":
   * only an entry of this very tree, and nothing written (the base of an update review, whose tree the default
   * branch's run analysed).
   */
  useCache?: boolean | "exact";
  /**
   * Findings without what only a report shows (line hash, snippet, code frame; build-findings.ts): an update review
   * adds it to the findings it reports, from the side each comes from.
   */
  bare?: boolean;
}

/** One run's result, and what a later run may reuse of it. */
export interface PipelineRun {
  result: ScanResult;
  workspace: Workspace;
  analysis: AnalysisState;
  /** How many functions (and module top levels) this run took over from an earlier one. */
  reused: number;
  /** The run started from the persistent cache: some records were analysed by an earlier process. */
  fromCache?: boolean;
}

/** Runs the pipeline on a directory with a given policy. */
export type Pipeline = (root: string, policy: Policy, extras?: PipelineExtras) => Promise<PipelineRun>;

export function isUpdateReview(options: UpdateReviewOptions): boolean {
  // includeWorktree alone is a mistake that reviewUpdate reports, not an option to ignore silently.
  return options.base !== undefined || options.diff !== undefined || options.baseline !== undefined || options.includeWorktree === true;
}

/** The base side of an update: its files on disk, the trusted policy's source, and what changed. */
interface BaseSide {
  /** Every base file, written to a temporary directory on first call. */
  tree(): MaterializedTree;
  /**
   * Only the changed files' base versions, written to a temporary directory on first call: with the head's other
   * files they make the base. Absent when the head's files on disk are not exactly the diff's head (uncommitted or
   * untracked files outside the diff), so an overlay would mix revisions.
   */
  changedTree?: () => MaterializedTree;
  /**
   * Instead of `changedTree` when the update only modified source files in place (and added some, or changed files no
   * scan reads): the modified files' base versions, by path, read from the object store on first call.
   */
  changedSources?: () => ReadonlyMap<string, Buffer>;
  /** Removes what was written. */
  dispose(): void;
  policySource: PolicySource;
  changes: ChangedFiles;
  notifications: Notification[];
}

/**
 * Update review: scans the head (the directory) and the base (merge base of --base, or the directory with the patch
 * of --diff taken out) with the trusted policy, marks every head finding new/updated/unchanged and lists fixed ones as
 * absent, and adds the update's own findings: policy weakened, suppressions added, sanitizers removed, new egress
 * destinations. With only --baseline, compares one scan with an earlier SARIF file. See docs/update-review.md.
 */
export async function reviewUpdate(
  root: string,
  configPath: string | undefined,
  options: UpdateReviewOptions,
  pipeline: Pipeline,
  sourceOptions: (policy: Policy) => SourceSetOptions = () => ({}),
): Promise<ScanResult> {
  if (options.baseline !== undefined && (options.base !== undefined || options.diff !== undefined)) {
    throw new UsageError("--baseline compares with an earlier SARIF file; --base and --diff compare with a revision: use one or the other");
  }
  if (options.base !== undefined && options.diff !== undefined) throw new UsageError("use --base or --diff, not both");
  if (options.includeWorktree && options.base === undefined) throw new UsageError("--include-worktree only applies with --base");

  if (options.baseline !== undefined) {
    const policy = loadPolicy({ root, configPath });
    const sources = await readSourceSet(root, policy, sourceOptions(policy));
    await assertFilesSelected(root, policy, sources);
    const head = (await pipeline(root, policy, { sources })).result;
    const baseline = readSarifBaseline(options.baseline);
    const findings = compareWithBaseline(head.findings, baseline.findings);
    return finish(head, findings, [...head.notifications, ...baseline.notifications], options.newOnly ?? false);
  }

  // both sides' findings are compared, and only those reported are presented (`presented`)
  const run: Pipeline = (dir, policy, extras = {}) => pipeline(dir, policy, { ...extras, bare: true });
  const early = new EarlyListing(root, configPath, sourceOptions);
  const opening =
    options.base !== undefined ? await gitBase(root, configPath, options.base, options.includeWorktree === true, () => early.list()) : patchOpened(root, options.diff as string);
  try {
    const notifications: Notification[] = [];
    // the policy the head was listed under, when the trusted source holds the very texts it was loaded from
    const trusted = early.policyAlso(opening.policySource) ?? loadTrusted(root, configPath, opening);
    // the head's policy file the same as the base's, byte for byte: it cannot weaken anything, and is not loaded again
    const head = options.policyFrom !== "head" && samePolicyFile(root, configPath, opening.policySource) ? undefined : loadHeadPolicy(root, configPath, notifications);
    let policy = trusted;
    if (options.policyFrom === "head") {
      if (!head) throw new UsageError("--policy-from head: the head revision's policy does not load (see above)");
      policy = head.policy;
      notifications.push({
        id: "policy-from-head",
        level: "warning",
        message: "The policy was read from the head revision (--policy-from head), so this update's own policy changes judge it.",
      });
    }

    const headSources = early.take(policy) ?? (await readSourceSet(root, policy, sourceOptions(policy)));
    await assertFilesSelected(root, policy, headSources);
    // Calls answered as sanitizers, on either side: the sanitizer-less run below redoes what contains or used them.
    const sanitizerCalls = new Set<ts.Node>();
    const recording = (question: Question) => recordSanitizerCalls(question, sanitizerCalls);
    // The head starts from the cache when it holds an analysis of the base (the default branch's run wrote it): then
    // only what the update can reach is analysed, on both sides.
    const headRun = await run(root, policy, { sources: headSources, adjust: recording, useCache: true });
    const headResult = headRun.result;
    const side = await opening.side;
    notifications.unshift(...side.notifications);
    const base = await runBase(root, policy, side, headSources, headRun, options.reuseAnalysis !== false, recording, run, notifications);
    const baseResult = base.run.result;
    notifications.push(...baseInternalErrors(baseResult.notifications));
    const headFiles = new Map(headRun.workspace.files.map((f) => [f.path, f]));
    const baseFiles = new Map(base.run.workspace.files.map((f) => [f.path, f]));
    const marked = compareWithBaseline(headResult.findings, baseResult.findings, side.changes, {
      head: pathCodeReader(headFiles),
      base: pathCodeReader(baseFiles),
    });

    const drafts: ReviewDraft[] = [];
    if (head) drafts.push(...policyWeakenings(trusted, head, trusted.files.find((f) => !f.startsWith("flowgate:"))));
    drafts.push(...addedSuppressions(root, side.changes));
    drafts.push(...newDestinations(headResult.egress, baseResult.egress));
    // A leak a sanitizer used to stop ends in a function the base has too (sanitizer-removed matches by it).
    const baseFunctions = new Set([...base.run.analysis.records.values()].map((r) => r.name));
    const baseByFingerprint = new Map(baseResult.findings.map((f) => [f.fingerprint, f]));
    const newLeaks = marked
      .filter((f) => (f.baselineState === "new" || f.baselineState === "updated") && !f.suppression)
      .flatMap((f) => newFlowsAtDoor(f, f.baselineState === "new" ? undefined : baseByFingerprint.get(f.fingerprint)).map((flow) => ({ ...f, flows: [flow] })))
      .filter((f) => baseFunctions.has(f.flows[0]!.sink.enclosingFunction));
    if (newLeaks.length > 0) {
      // A third run, of the base with sanitizers switched off, only when there is such a leak to explain; what never
      // met a sanitizer call (in its body or through a function it used) is taken over from the base's run.
      // Sanitizer calls are recorded as the question answers them: records an earlier process analysed (the cache)
      // were never asked, so then the base is analysed without sanitizers from scratch.
      const unsanitized = base.sources && !headRun.fromCache && !base.run.fromCache
        ? await run(root, policy, {
            sources: base.sources,
            adjust: withoutSanitizers,
            reuse: {
              workspace: base.run.workspace,
              analysis: base.run.analysis,
              affectedFiles: new Set(),
              changedNodes: sanitizerCalls,
            },
          })
        : base.sources
          ? await run(root, policy, { sources: base.sources, adjust: withoutSanitizers })
          : await run(side.tree().dir, policy, { adjust: withoutSanitizers });
      notifications.push(...baseInternalErrors(unsanitized.result.notifications));
      drafts.push(...removedSanitizers(newLeaks, baseResult.findings, unsanitized.result.findings, side.changes, (f) => baseText(root, side, f)));
    }
    const review = reviewFindings(drafts, headResult.rules, (f) => readText(root, f));
    const newOnly = options.newOnly ?? true;
    return finish(headResult, [...presented(marked, newOnly, headFiles, baseFiles), ...review], [...headResult.notifications, ...notifications], newOnly);
  } finally {
    await opening.side.then(
      (side) => side.dispose(),
      () => undefined,
    );
  }
}

/**
 * The base's run. When the update's reach follows imports (affected-files.ts), the base's files are read under the
 * head's root and compiler settings, so the files both sides share are the very same parsed files: an analysis cache
 * entry of this very tree (the default branch's run wrote it) is read as it is, and otherwise the head's analysis of
 * what the update cannot affect is taken over (src/dataflow/reuse.ts). The import graph that tells what the update can
 * affect is built only in the second case. When a changed file's name says the graph cannot follow the change
 * (compiler settings, .gitignore, declaration files), the base's own directory is analysed from scratch. A note says
 * which.
 */
async function runBase(
  root: string,
  policy: Policy,
  side: BaseSide,
  headSources: SourceSet,
  headRun: PipelineRun,
  reuse: boolean,
  adjust: (question: Question) => Question,
  pipeline: Pipeline,
  notifications: Notification[],
): Promise<{ run: PipelineRun; sources?: SourceSet }> {
  const whole = reuse ? unfollowableChange(side.changes) : "reuse was switched off";
  if (whole !== undefined) {
    notifications.push({ id: "update-reuse", level: "note", message: `The base revision was analysed in full: ${whole}.` });
    return { run: await pipeline(side.tree().dir, policy) };
  }
  const sources: SourceSet = side.changedSources
    ? overlay(headSources, side.changes, sourceSetOfChanged(root, policy, headSources, side.changedSources()))
    : side.changedTree
    ? overlay(headSources, side.changes, await readSourceSet(side.changedTree().dir, policy, { alsoInclude: headSources.imported }))
    : { ...(await readSourceSet(side.tree().dir, policy)), tsconfigs: headSources.tsconfigs, ownPackages: headSources.ownPackages, workspacePackages: headSources.workspacePackages };
  let affected: AffectedFiles | undefined;
  const base = await pipeline(root, policy, {
    sources,
    adjust,
    reuse: {
      workspace: headRun.workspace,
      analysis: headRun.analysis,
      affectedFiles: () => {
        affected = affectedFiles({
          root,
          head: headSources,
          headFiles: new Map(headRun.workspace.files.map((f) => [f.path, f])),
          changes: side.changes,
          baseTexts: (files) => readTexts(root, side, files),
        });
        // a global script or ambient declaration changed: the base (the head's files with the changed ones swapped) is
        // analysed from scratch
        return "whole" in affected ? undefined : affected.files;
      },
    },
    useCache: "exact",
  });
  notifications.push({
    id: "update-reuse",
    level: "note",
    message: base.fromCache
      ? "The base revision's analysis was read from the analysis cache: an earlier scan (the default branch's) analysed this very tree."
      : affected === undefined || "whole" in affected
        ? `The base revision was analysed in full: ${affected && "whole" in affected ? affected.whole : "no earlier analysis applies"}.`
        : `The base revision was analysed again only where the update can reach: ${count(affected.files.size, "file")} changed ` +
          `or importing a changed file; the head's analysis of ${count(base.reused, "function")} elsewhere was taken over.`,
  });
  return { run: base, sources };
}

/** Notes the calls the question answers "sanitizer" for. */
function recordSanitizerCalls(question: Question, calls: Set<ts.Node>): Question {
  return {
    ...question,
    callAt(call) {
      const model = question.callAt(call);
      if (model.kind === "sanitizer") calls.add(call);
      return model;
    },
  };
}

function readTexts(root: string, side: BaseSide, files: readonly string[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of files) {
    const text = baseText(root, side, file);
    if (text !== undefined) texts.set(file, text);
  }
  return texts;
}

/** A base file's text: from the changed files' tree or, for a file the update left alone, the head's copy. */
function baseText(root: string, side: BaseSide, file: string): string | undefined {
  if (side.changedSources) return isChanged(side.changes, file) ? side.changedSources().get(file)?.toString("utf8") : readText(root, file);
  if (!side.changedTree) return readText(side.tree().dir, file);
  return isChanged(side.changes, file) ? readText(side.changedTree().dir, file) : readText(root, file);
}

function isChanged(changes: ChangedFiles, file: string): boolean {
  if (changes.has(file)) return true;
  for (const change of changes.values()) if (change.basePath === file) return true;
  return false;
}

/**
 * The base's files as the head's with the changed ones swapped: the update's head versions out, the base versions
 * (read from a tree of only those, through the same scope rules and reader) in. The head's compiler settings stay:
 * a changed .json never gets here (affected-files.ts analyses in full then).
 */
function overlay(head: SourceSet, changes: ChangedFiles, changed: SourceSet): SourceSet {
  const touched = new Set<string>();
  for (const change of changes.values()) {
    touched.add(change.path);
    if (change.basePath !== undefined) touched.add(change.basePath);
  }
  const texts = new Map([...head.texts].filter(([file]) => !touched.has(file)));
  for (const [file, text] of changed.texts) texts.set(file, text);
  const inScope = [...new Set([...head.inScope.filter((file) => !touched.has(file)), ...changed.inScope])].sort(compareStrings);
  const imported = [...new Set([...head.imported.filter((file) => !touched.has(file)), ...changed.imported])].sort(compareStrings);
  const outside = [...new Set([...head.outside.filter((file) => !touched.has(file)), ...changed.outside])].sort(compareStrings);
  const aboutFile = (n: Notification, files: (file: string) => boolean) => n.location !== undefined && files(n.location.file);
  const notifications = [
    ...head.notifications.filter((n) => !aboutFile(n, (file) => touched.has(file))),
    ...changed.notifications.filter((n) => aboutFile(n, (file) => touched.has(file))),
  ];
  const sorted = new Map([...texts].sort(([a], [b]) => compareStrings(a, b)));
  // the head's parse verdicts serve the base's texts it knows (the unchanged files: the same parse)
  return {
    tsconfigs: head.tsconfigs,
    inScope,
    imported,
    outside,
    texts: sorted,
    ownPackages: head.ownPackages,
    workspacePackages: head.workspacePackages,
    notifications,
    ...(head.parses ? { parses: head.parses } : {}),
  };
}

function count(n: number, what: string): string {
  return `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
}

const DIFF_OPTIONS = ["diff", "--no-color", "--no-ext-diff", "--find-renames", "--unified=0", "--full-index"];

/**
 * --base: the merge base's files, its policy through git, and the diff from it to HEAD (or to the working tree). The
 * merge base, the diff and the trusted policy with the changed files' base versions (one `cat-file`) are read before
 * anything else: the head's listing needs the policy. The working tree's state — `git status`, the slowest of them
 * (it looks at every file) — is read by git beside the head's listing and analysis, which do not need it: each git
 * process is a tenth of a second or more of waiting on a loaded CI machine. The common review takes the shorter way
 * (`baseFromDiff`, without the merge base's `rev-parse`); anything else these steps.
 */
async function gitBase(root: string, configPath: string | undefined, ref: string, includeWorktree: boolean, meanwhile: () => Promise<void>): Promise<OpenedBase> {
  let started: Promise<WorktreeState> | undefined;
  if (!includeWorktree && symmetricWithHead(ref)) {
    // git's diff, status and HEAD's policy files are read while the head's files are listed (EarlyListing); a failure
    // is thrown when awaited. The `cat-file` of the policy reads the changed files' base versions too, named once the
    // diff is in.
    const asked = runGitAsync(root, [...DIFF_OPTIONS, "--relative", `${ref}...HEAD`, "--", "."]);
    started = worktreeState(root);
    const revision = new RevisionObjects(root, "HEAD");
    let changed: (names: readonly string[]) => void = () => undefined;
    const read = revision.prefetch(policyNamesAtHead(root, configPath), new Promise((resolve) => (changed = resolve)));
    asked.catch(() => undefined);
    started.catch(() => undefined);
    await meanwhile();
    // a diff that fails ends the `cat-file`'s input too (the review then fails, or takes the steps below)
    const diff = await asked.catch((err: unknown) => {
      changed([]);
      throw err;
    });
    const quick = baseFromDiff(root, ref, diff, started, revision, changed);
    changed([]);
    await read;
    if (quick !== undefined) return quick;
  }
  const { repo, mergeBase } = openMergeBase(root, ref);
  const scope = repo.prefix ? ["--", repo.prefix] : [];
  const diffArgs = [...DIFF_OPTIONS, mergeBase, ...(includeWorktree ? [] : ["HEAD"]), ...scope];
  const diff = runGit(repo.top, diffArgs);
  if (diff.status !== 0) throw new UsageError(`--base: git ${diffArgs.join(" ")} failed: ${firstLine(diff.stderr)}`);
  const changes = parseChangedFiles(diff.stdout.toString("utf8"), repo.prefix);
  if (includeWorktree) addUntracked(repo, changes);
  const state = includeWorktree ? undefined : (started ?? worktreeState(root));
  // the common pull request only edits source files: their base versions are read from the object store, no tree
  // written — in the process that reads the policy (revision-objects.ts); unused when the working tree is not HEAD's
  const objects = modifiedSourceObjects(changes);
  const revision = new RevisionObjects(repo.top, mergeBase);
  if (objects) revision.expect(objects.values());
  const policySource = gitPolicySource(repo, mergeBase, revision);
  return opened(policySource, gitSide(() => ({ repo, mergeBase }), changes, state, objects, revision, policySource));
}

/**
 * The common review (HEAD's commit against a ref) in three git processes where the steps of `gitBase` take four: no
 * `rev-parse` of the merge base. The diff from the merge base is asked as `git diff <ref>...HEAD` (git finds the merge
 * base) in the scan root with `--relative` (its paths the root's). The trusted policy is the merge base's file, which
 * is HEAD's file of the same path wherever the diff touches that path: a file the diff does not name has the same
 * object on both sides. So a policy path the diff does not mention (not in its parsed files, not anywhere in its text)
 * is read as `HEAD:./<path>`, with the changed files' base versions (by the ids the diff names), in one `cat-file`
 * (the status beside it). The merge base is asked for (`rev-parse`, as `gitBase` does) only when something needs it: a
 * policy path the diff mentions or that lies outside the scan root, a base tree to write (a file deleted or renamed, a
 * tsconfig changed), a policy that does not load (its error names the merge base: `loadTrusted` loads it again from
 * there). Undefined, for `gitBase`'s steps, when the diff fails (no repository, no such ref, no common ancestor: the
 * steps say which) or git warns (several merge bases — the review compares with the one `git merge-base` picks —, a
 * rename limit reached).
 */
function baseFromDiff(
  root: string,
  ref: string,
  diff: GitResult,
  state: Promise<WorktreeState>,
  revision: RevisionObjects,
  /** Names the changed files' base versions to the `cat-file` that reads HEAD's policy files (gitBase). */
  changed: (names: readonly string[]) => void,
): OpenedBase | undefined {
  if (diff.status !== 0 || diff.stderr !== "") return undefined;
  const text = diff.stdout.toString("utf8");
  const changes = parseChangedFiles(text, "");
  const objects = modifiedSourceObjects(changes);
  if (objects) changed([...objects.values()]);
  let found: { repo: Repository; mergeBase: string } | undefined;
  const base = () => (found ??= openMergeBase(root, ref));
  let atBase: PolicySource | undefined;
  const mergeBaseSource = () => (atBase ??= gitPolicySource(base().repo, base().mergeBase));
  const mentioned = new Set<string>();
  for (const change of changes.values()) {
    mentioned.add(change.path);
    if (change.basePath !== undefined) mentioned.add(change.basePath);
  }
  // a path HEAD's tree has the merge base's object at: inside the root, written plainly (nothing git would quote), and
  // nowhere in the diff
  const unchanged = (file: string) =>
    /^[\w.-]+(?:\/[\w.-]+)*$/.test(file) && !file.split("/").some((part) => part === "." || part === "..") && !mentioned.has(file) && !text.includes(file);
  let announced = false;
  const policySource: PolicySource = {
    // shown only in messages about the policy, which loadTrusted has the merge base's source give
    description: "base revision",
    read(relativePath) {
      const file = relativePath.split(path.sep).join("/");
      if (!unchanged(file)) return mergeBaseSource().read(relativePath);
      if (!announced) {
        announced = true;
        revision.expect([...POLICY_FILE_NAMES, ...CODE_POLICY_FILE_NAMES].filter(unchanged).map((name) => `HEAD:./${name}`));
      }
      const [object] = revision.get([`HEAD:./${file}`]);
      if (object === undefined) return undefined;
      // not a file: the merge base's source says so, naming it
      if (object.type !== "blob") return mergeBaseSource().read(relativePath);
      return object.bytes.toString("utf8");
    },
  };
  return { ...opened(policySource, gitSide(base, changes, state, objects, revision, policySource)), atMergeBase: mergeBaseSource };
}

/**
 * The names the trusted policy's first read asks of HEAD (`baseFromDiff`): the file `--config` names, or every name a
 * policy file may have, as `HEAD:./<path>`.
 */
function policyNamesAtHead(root: string, configPath: string | undefined): string[] {
  try {
    const names = configPath !== undefined ? [path.relative(root, realPath(configPath)).split(path.sep).join("/")] : [...POLICY_FILE_NAMES, ...CODE_POLICY_FILE_NAMES];
    return names.map((name) => `HEAD:./${name}`);
  } catch {
    return [];
  }
}

/**
 * The trusted policy. A source that read the merge base's file from HEAD (`baseFromDiff`) does not know the merge base,
 * which the messages about a policy that does not load name: then it is loaded again from the merge base's source,
 * which reads the same file and fails the same way, in the same words as without the shorter way.
 */
function loadTrusted(root: string, configPath: string | undefined, opening: OpenedBase): Policy {
  try {
    return loadPolicy({ root, configPath, source: opening.policySource });
  } catch (err) {
    if (opening.atMergeBase === undefined || !(err instanceof Error) || !["PolicyError", "UsageError"].includes(err.name)) throw err;
    return loadPolicy({ root, configPath, source: opening.atMergeBase() });
  }
}

async function gitSide(
  /** The repository and the merge base, found when first asked (baseFromDiff's review never asks). */
  base: () => { repo: Repository; mergeBase: string },
  changes: ChangedFiles,
  /** The working tree's state (undefined with --include-worktree: its untracked files are part of `changes`). */
  worktree: Promise<WorktreeState> | undefined,
  modified: ReadonlyMap<string, string> | undefined,
  revision: RevisionObjects,
  policySource: PolicySource,
): Promise<BaseSide> {
  const notifications: Notification[] = [];
  let exact = true;
  if (worktree !== undefined) {
    const state = await worktree;
    if (state.uncommitted) notifications.push(state.uncommitted);
    exact = state.uncommitted === undefined && !state.untracked;
  }
  const trees = new Trees();
  const changedBasePaths = new Set<string>();
  for (const change of changes.values()) {
    if (change.status === "modified" || change.status === "deleted") changedBasePaths.add(change.path);
    if (change.status === "renamed" && change.basePath !== undefined) changedBasePaths.add(change.basePath);
  }
  const objects = exact ? modified : undefined;
  let changedSources: Map<string, Buffer> | undefined;
  const readChanged = (found: ReadonlyMap<string, string>) => {
    const read = revision.get([...found.values()]);
    return new Map([...found.keys()].map((file, i) => [file, read[i]?.bytes ?? Buffer.alloc(0)]));
  };
  return {
    tree: () => trees.get("all", () => materializeRevision(base().repo, base().mergeBase)),
    ...(objects ? { changedSources: () => (changedSources ??= readChanged(objects)) } : {}),
    ...(exact && !objects ? { changedTree: () => trees.get("changed", () => materializeRevision(base().repo, base().mergeBase, changedBasePaths)) } : {}),
    dispose: () => trees.dispose(),
    policySource,
    changes,
    notifications,
  };
}

/**
 * The base side as it is opened: the trusted policy's source at once, the rest when git has answered. A failure of the
 * rest is reported when the review first waits for it; until then it is held (never an unhandled rejection).
 */
interface OpenedBase {
  policySource: PolicySource;
  side: Promise<BaseSide>;
  /** The merge base's own policy source, when `policySource` read from HEAD (baseFromDiff). */
  atMergeBase?: () => PolicySource;
}

function opened(policySource: PolicySource, side: Promise<BaseSide>): OpenedBase {
  side.catch(() => undefined);
  return { policySource, side };
}

/** Temporary trees made on demand, removed together. */
class Trees {
  private readonly made = new Map<string, MaterializedTree>();
  get(name: string, make: () => MaterializedTree): MaterializedTree {
    let tree = this.made.get(name);
    if (!tree) this.made.set(name, (tree = make()));
    return tree;
  }
  dispose(): void {
    for (const tree of this.made.values()) tree.dispose();
  }
}

/** Untracked files (not ignored) are part of the working tree's update: wholly added. */
function addUntracked(repo: Repository, changes: ChangedFiles): void {
  const result = runGit(repo.top, ["ls-files", "--others", "--exclude-standard", "-z", ...(repo.prefix ? ["--", repo.prefix] : [])]);
  if (result.status !== 0) return;
  for (const file of result.stdout.toString("utf8").split("\0")) {
    if (!file.startsWith(repo.prefix) || file.length === 0) continue;
    const relative = file.slice(repo.prefix.length);
    const added: ChangedFile = { path: relative, status: "added", addedLines: new Set(), editedLines: new Set(), removedLines: new Set(), binary: false, chunks: [] };
    changes.set(relative, added);
  }
}

function patchOpened(root: string, patchFile: string): OpenedBase {
  const side = patchBase(root, patchFile);
  return opened(side.policySource, Promise.resolve(side));
}

/** --diff: the scanned directory is the head; the base is a copy with the patch taken out. */
function patchBase(root: string, patchFile: string): BaseSide {
  let text: string;
  try {
    text = readFileSync(patchFile, "utf8");
  } catch (err) {
    throw new UsageError(`--diff ${patchFile}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
  const changes = parseChangedFiles(text);
  if (changes.size === 0 && text.trim().length > 0) throw new UsageError(`--diff ${patchFile}: not a unified diff (no file headers found)`);
  const name = path.basename(patchFile);
  const tree = materializeBeforePatch(root, changes, name);
  const source = workingTreeSource(tree.dir);
  return {
    tree: () => tree,
    dispose: () => tree.dispose(),
    policySource: { read: source.read, description: `base (${name} taken out)` },
    changes,
    notifications: [],
  };
}

/**
 * The head's files listed while git answers (`gitBase`): the listing needs the policy, and the trusted one is the merge
 * base's, read through git once the diff has said whether the update touches it. The listing reads of the policy only
 * its scope — include, exclude and the packages its library models describe (readSourceSet) — so the working tree's
 * policy is loaded and the head listed under it; the trusted policy takes that listing when its scope is the same (a
 * pull request that leaves the policy's scope alone), else the head is listed again under it. Nothing is told of the
 * early listing (`onRead`, which may hand a large scan over) until it is taken, and whatever goes wrong in it (a policy
 * that does not load, an unreadable tree) is left to the listing under the trusted policy to report, as before.
 */
class EarlyListing {
  private listed: { policy: Policy; options: SourceSetOptions; sources: SourceSet } | undefined;
  /** What the working tree's policy was loaded from: each path its source was asked, and the answer. */
  private readonly reads = new Map<string, string | undefined>();

  constructor(
    private readonly root: string,
    private readonly configPath: string | undefined,
    private readonly sourceOptions: (policy: Policy) => SourceSetOptions,
  ) {}

  async list(): Promise<void> {
    try {
      const disk = workingTreeSource(this.root);
      const recorded: PolicySource = {
        description: disk.description,
        read: (relativePath) => {
          const text = disk.read(relativePath);
          this.reads.set(relativePath, text);
          return text;
        },
      };
      const policy = loadPolicy({ root: this.root, configPath: this.configPath, source: recorded });
      const options = this.sourceOptions(policy);
      const { onRead: _, ...quiet } = options;
      this.listed = { policy, options, sources: await readSourceSet(this.root, policy, quiet) };
    } catch {
      this.listed = undefined;
    }
  }

  /**
   * The working tree's policy, when `source` (the trusted one) answers every path its load asked with the same text:
   * loading a policy reads nothing else (packs are flowgate's own), so loading it from `source` would give the same
   * policy (and never fail: it did not).
   */
  policyAlso(source: PolicySource): Policy | undefined {
    const listed = this.listed;
    if (listed === undefined || this.reads.size === 0) return undefined;
    try {
      for (const [relativePath, text] of this.reads) if (source.read(relativePath) !== text) return undefined;
    } catch {
      return undefined;
    }
    return listed.policy;
  }

  /** The early listing, when `policy`'s scope is the one it was listed under (told to `onRead` then). */
  take(policy: Policy): SourceSet | undefined {
    const listed = this.listed;
    this.listed = undefined;
    if (listed === undefined || !sameScope(listed.policy, policy)) return undefined;
    tellRead(listed.sources, listed.options);
    return listed.sources;
  }
}

/** Whether two policies list the same files (what readSourceSet reads of a policy, and the imported files' memo). */
function sameScope(a: Policy, b: Policy): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((item, i) => item === y[i]);
  const packages = (policy: Policy) => [...modelledPackages(policy.models)].sort(compareStrings);
  return same(a.include, b.include) && same(a.exclude, b.exclude) && (a.models === b.models || same(packages(a), packages(b)));
}

/** Whether the working tree's policy file is the base's: the same file found, with the same text (or none on either side). */
function samePolicyFile(root: string, configPath: string | undefined, base: PolicySource): boolean {
  try {
    const was = findUserFile(root, base, configPath);
    const now = findUserFile(root, workingTreeSource(root), configPath);
    return was?.relative === now?.relative && was?.text === now?.text;
  } catch (err) {
    // what cannot be read is compared by loading the head's policy, which says why it does not load
    if (!(err instanceof Error) || err.name !== "UsageError") throw err;
    return false;
  }
}

/** The head's own policy, for comparison only; when it does not load, a warning says its changes were not compared. */
function loadHeadPolicy(root: string, configPath: string | undefined, notifications: Notification[]): HeadPolicy | undefined {
  try {
    const policy = loadPolicy({ root, configPath });
    const file = policy.files.find((f) => !f.startsWith("flowgate:"));
    const text = file !== undefined ? workingTreeSource(root).read(file) : undefined;
    return { policy, ...(file !== undefined ? { file } : {}), ...(text !== undefined && file !== undefined ? { document: parsePolicyDocument(text, file) } : {}) };
  } catch (err) {
    if (!(err instanceof Error) || !["PolicyError", "UsageError"].includes(err.name)) throw err;
    notifications.push({
      id: "head-policy-invalid",
      level: "warning",
      message: `The update's own policy does not load (${err.message}); its changes to the policy were not compared.`,
    });
    return undefined;
  }
}

/**
 * The marked leaks a review reports (all, or what `--new-only` keeps), with what only a report shows: an absent one's
 * from the base's files, the others' from the head's. The runs built their findings bare: most are never reported.
 */
function presented(marked: Finding[], newOnly: boolean, headFiles: ReadonlyMap<string, ScannedFile>, baseFiles: ReadonlyMap<string, ScannedFile>): Finding[] {
  const reported = newOnly ? marked.filter(isReportedAsNew) : marked;
  const absent = reported.filter((f) => f.baselineState === "absent");
  return [...presentFindings(reported.filter((f) => f.baselineState !== "absent"), headFiles), ...presentFindings(absent, baseFiles)];
}

function finish(head: ScanResult, findings: Finding[], notifications: Notification[], newOnly: boolean): ScanResult {
  const kept = (newOnly ? findings.filter(isReportedAsNew) : findings).sort(
    (a, b) => compareLocations(a.location, b.location) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint),
  );
  return { ...head, findings: kept, notifications };
}

function readText(root: string, file: string): string | undefined {
  try {
    return readFileSync(path.join(root, ...file.split("/")), "utf8");
  } catch {
    return undefined;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A failure of ours while analysing the base revision makes the review incomplete too: it is reported with the head's. */
function baseInternalErrors(notifications: readonly Notification[]): Notification[] {
  return notifications
    .filter((n) => n.id === INTERNAL_ERROR)
    // no location: it would point into the base's version of a file, which the head's SARIF does not show
    .map(({ location: _, ...n }) => ({ ...n, message: `In the base revision: ${n.message}` }));
}
