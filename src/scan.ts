import { loadPolicy, type PolicySource } from "./config/load-policy.js";
import type { Policy } from "./config/policy.js";
import { loadWorkspace } from "./workspace/load-workspace.js";
import { assertFilesSelected } from "./workspace/empty-scan.js";
import { readSourceSet, type SourceSetOptions, type SourcesRead } from "./workspace/source-set.js";
import { classTagNotifications } from "./model/class-tags.js";
import { readVersionControl } from "./workspace/version-control.js";
import { compileModel } from "./model/compile-model.js";
import { memberFactsMemo, memberMarks } from "./model/member-facts.js";
import { analyze, type AnalysisProgress } from "./dataflow/analyze.js";
import { DEFAULT_BUDGETS, type Budgets } from "./dataflow/budgets.js";
import { backReferenceFactsMemo } from "./dataflow/back-references.js";
import { buildFindings } from "./findings/build-findings.js";
import type { Granularity } from "./findings/granularity.js";
import { loadRuleCatalog } from "./findings/rule-catalog.js";
import { isUpdateReview, reviewUpdate, type PipelineExtras, type PipelineRun, type UpdateReviewOptions } from "./diff/review-update.js";
import type { ScanResult } from "./result.js";
import { InternalErrors } from "./internal-errors.js";
import { realPath } from "./real-path.js";
import { startFromCache } from "./cache/start-from-cache.js";
import type { Reuse } from "./dataflow/reuse.js";
import type { ScannedFile, Workspace } from "./workspace/workspace.js";
import { fullScanChecker, narrowChecker } from "./workspace/narrow-checker.js";
import { seenWithoutImportMemo } from "./workspace/seen-without-import.js";
import { heritageNamesMemo } from "./model/class-hierarchy.js";
import { EntryReads } from "./cache/entry-reads.js";
import type { CacheOptions } from "./cache/analysis-cache.js";
import { TextHashes } from "./cache/cache-key.js";
import { ImportsMemo } from "./cache/imports-memo.js";

export interface ScanOptions extends UpdateReviewOptions {
  /** Directory to scan. */
  root: string;
  /** Policy file; default: flowgate.config.yaml at the root. */
  configPath?: string;
  /** Where the policy is read from (update review reads it from the base revision). */
  policySource?: PolicySource;
  budgets?: Partial<Budgets>;
  /** Internal-error notifications carry the stack trace (--debug). */
  debug?: boolean;
  /** "door" (default): one finding per sink argument × rule; "flow": one per source × sink argument × data class. */
  granularity?: Granularity;
  onProgress?: (progress: ScanProgress) => void;
  /**
   * Told how much source the scan read (the head's, in update review), before anything is parsed: the CLI hands a
   * large scan to a process with a larger young generation (startup/large-scan.ts).
   */
  onSourcesRead?: (read: SourcesRead) => void;
  /**
   * The persistent analysis cache (src/cache/, docs/update-review.md): a scan starts from the entry of an earlier
   * analysis of (nearly) the same tree and writes its own. Off unless given (the CLI gives it unless --no-cache).
   */
  cache?: CacheOptions;
}

export type ScanProgress = { phase: "loading"; files: number } | ({ phase: "analysing" } & AnalysisProgress);

/**
 * The pipeline, one way through: config → workspace → model → dataflow → findings. Reports render the result.
 * With --base, --diff or --baseline (UpdateReviewOptions), the diff stage runs the pipeline on both sides of the update.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const root = realPath(options.root);
  // each text hashed once: by the imported files' memo, then by the cache key
  const hashes = new TextHashes();
  if (isUpdateReview(options)) {
    // Progress is reported for the head scan only: it is the one the user is waiting on first.
    let first = true;
    // the head's cache entry is usually the base's own: read once for both
    const reads = new EntryReads();
    const result = await reviewUpdate(
      root,
      options.configPath,
      options,
      (dir, policy, extras) => {
        const onProgress = first ? options.onProgress : undefined;
        first = false;
        return runPipeline(dir, policy, { ...options, onProgress }, extras, reads, hashes);
      },
      (policy) => headSourceOptions(options, policy, hashes),
    );
    return withVersionControl(result);
  }
  const policy = loadPolicy({ root, configPath: options.configPath, source: options.policySource });
  const sources = await readSourceSet(root, policy, headSourceOptions(options, policy, hashes));
  await assertFilesSelected(root, policy, sources);
  return withVersionControl((await runPipeline(root, policy, options, { sources, useCache: true }, undefined, hashes)).result);
}

/**
 * How the scanned tree's files are read: with the analysis cache, the imported files' pass uses the memo an earlier run
 * wrote (cache/imports-memo.ts); the caller is told how much was read.
 */
function headSourceOptions(options: ScanOptions, policy: Policy, hashes: TextHashes): SourceSetOptions {
  return {
    ...(options.cache ? { importsMemo: new ImportsMemo(options.cache, hashes, { include: policy.include, exclude: policy.exclude }) } : {}),
    ...(options.onSourcesRead ? { onRead: options.onSourcesRead } : {}),
  };
}

/** What an earlier run of this process leaves this one (the files it affects asked for only now: see PipelineExtras). */
function earlierRun(earlier: PipelineExtras["reuse"]): Reuse | undefined {
  if (earlier === undefined) return undefined;
  const affectedFiles = typeof earlier.affectedFiles === "function" ? earlier.affectedFiles() : earlier.affectedFiles;
  if (affectedFiles === undefined) return undefined;
  return { prior: earlier.analysis, affectedFiles, ...(earlier.changedNodes ? { changedNodes: earlier.changedNodes } : {}) };
}

/** The repository and commit of the scanned root, when it is in a git work tree (SARIF versionControlProvenance). */
function withVersionControl(result: ScanResult): ScanResult {
  const versionControl = readVersionControl(result.root);
  return versionControl ? { ...result, versionControl } : result;
}

/**
 * One scan of one directory with a loaded policy. Update review passes `extras`: the files already read, a wrapper of
 * the compiled question (sanitizer-removed), an earlier run whose analysis may be reused (the base after the head).
 */
async function runPipeline(
  root: string,
  policy: Policy,
  options: ScanOptions,
  extras: PipelineExtras = {},
  reads?: EntryReads,
  hashes?: TextHashes,
): Promise<PipelineRun> {
  const workspace = await loadWorkspace(root, policy, {
    ...(extras.sources ? { sources: extras.sources } : {}),
    ...(extras.reuse ? { reuse: extras.reuse.workspace } : {}),
  });
  options.onProgress?.({ phase: "loading", files: workspace.files.length });
  const budgets = { ...DEFAULT_BUDGETS, ...options.budgets };
  const lookUp = () =>
    extras.useCache && options.cache && extras.sources
      ? startFromCache(
          extras.useCache === "exact" ? { ...options.cache, readOnly: true } : options.cache,
          workspace,
          policy,
          budgets,
          extras.sources,
          extras.useCache === "exact",
          reads,
          hashes,
        )
      : undefined;
  let cached = lookUp();
  // each file's part of the member index: the entry's for the files it was computed from, walked for the others
  const memberFacts = memberFactsMemo(memberMarks(policy), (sf) => cached?.memberFacts?.(sf));
  // each file's facts for the back-references, whether it is seen without an import (a JavaScript file bound alone
  // first: the full scan's checker binds only what its answers reach, and the entry keeps the binder's verdict), the
  // names its classes are listed by in the class hierarchy: alike
  const backReferenceFacts = backReferenceFactsMemo((file: ScannedFile) => cached?.backReferenceFacts?.(file));
  const global = seenWithoutImportMemo((file) => cached?.outline?.(file)?.global, workspace.programParts().options);
  const heritage = heritageNamesMemo((file) => cached?.outline?.(file)?.heritage);
  // an entry of this very tree beats an earlier run of this process over another tree
  const reuse = cached?.reuse && (extras.useCache !== "exact" || cached.reuse.affectedFiles.size === 0) ? cached.reuse : earlierRun(extras.reuse);
  const fromCache = reuse !== undefined && reuse === cached?.reuse;
  const analyseOver = (over: Workspace, from: Reuse | undefined) => {
    const internal = new InternalErrors(options.debug === true);
    const compiled = compileModel(policy, over, memberFacts, heritage);
    const question = extras.adjust ? extras.adjust(compiled) : compiled;
    return { internal, analysis: analyze(over, question, budgets, (p) => options.onProgress?.({ phase: "analysing", ...p }), from, internal, backReferenceFacts) };
  };
  // from the cache, the checker is asked about the redone files: a program over those (narrow-checker.ts); a full
  // analysis binds the files its answers reach (fullScanChecker); any other run taking over earlier records (an entry
  // without cut-offs, an earlier run of this process) asks the whole program's checker
  let redone: ReadonlySet<string> = reuse?.affectedFiles ?? new Set();
  const narrow =
    fromCache && reuse.cutOff === true && redone.size > 0
      ? narrowChecker(workspace, () => redone, global, cached?.shapes)
      : reuse === undefined
        ? fullScanChecker(workspace, global)
        : undefined;
  let { internal, analysis } = analyseOver(narrow?.workspace ?? workspace, narrow && reuse ? { ...reuse, onRedo: (files) => (redone = files) } : reuse);
  if (narrow?.escaped()) {
    // the analysis taken over records from the entry and changed them: it starts from a fresh reading
    cached = lookUp();
    ({ internal, analysis } = analyseOver(workspace, cached?.reuse));
  }
  const cacheNotes = cached && extras.useCache !== "exact" ? [...cached.notes, ...cached.save(analysis.state, internal.notifications().length === 0, { members: memberFacts, references: backReferenceFacts, global, heritage })] : [];
  const rules = loadRuleCatalog();
  const built = buildFindings(analysis.flows, workspace, rules, {
    internal,
    ...(options.granularity !== undefined ? { granularity: options.granularity } : {}),
    dataClasses: policy.dataClasses,
    ...(extras.bare === true ? { bare: true } : {}),
  });
  const result: ScanResult = {
    root,
    findings: built.findings,
    egress: analysis.egress,
    notifications: [
      ...workspace.notifications,
      ...classTagNotifications(workspace.files, policy),
      ...analysis.notifications,
      ...built.notifications,
      ...internal.notifications(),
      ...cacheNotes,
    ],
    stats: { filesScanned: workspace.files.length, filesSkipped: workspace.filesSkipped ?? 0, ...analysis.stats },
    rules,
    policyFiles: policy.files,
  };
  return { result, workspace, analysis: analysis.state, reused: analysis.reused, ...(fromCache ? { fromCache: true } : {}) };
}
