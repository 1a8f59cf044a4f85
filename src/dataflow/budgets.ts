/** Named limits with documented defaults (docs/engine.md, "Budgets"). Hitting one widens the result and records a notification. */
export interface Budgets {
  /** Field depth k of access paths; past it a path is cut and becomes deep. */
  fieldDepth: number;
  /**
   * Field depth of what a flow-insensitive store holds (class fields, module bindings, channels); past it the store's
   * paths are cut and become deep, as values are at `fieldDepth`. Lower than `fieldDepth`: a store is read by every
   * method of its class and written by each, so an object graph with links back to its owner (a component keeping the
   * core that holds it) unfolds in its store one level per worklist round, with each reader run again at every level.
   */
  storeFieldDepth: number;
  /** Facts kept per access path. */
  factsPerPath: number;
  /**
   * Symbolic facts at one path of a summary's value that a call site substitutes with the fields below them; past it,
   * each is substituted as a whole (its facts, not its structure).
   */
  symbolsPerPath: number;
  /**
   * Facts one node of a call site's substitution of its callee's summary (or one callback's result there) may hold; past
   * it, the rest of that call takes its receiver's, arguments' and callbacks' data as a whole (substitution-budget.ts).
   */
  substitutionFacts: number;
  /**
   * Facts one call site may step into its callee in all (the caller's values at the summary's symbolic facts, once per
   * callee-side trace); past it, the rest of that call takes its data as a whole too (substitution-budget.ts).
   */
  enteringFacts: number;
  /** Rounds a loop body is iterated towards its fixpoint. */
  loopRounds: number;
  /** Rounds a strongly connected component of the call graph is iterated. */
  sccRounds: number;
  /** Entries in one function's summary. */
  summaryEntries: number;
  /** Transfer steps spent on one function body. */
  stepsPerFunction: number;
  /** Bodies one call through a declared type may run (the resolved method and its overrides / implementations). */
  implementationsPerCall: number;
  /**
   * Share of V8's heap limit the heap alive after a full collection may reach before the analysis stops (heap-guard.ts):
   * past it nothing more is analysed and the scan ends as an internal error with what it found, where running on
   * would end it without a report.
   */
  heapShare: number;
}

export const DEFAULT_BUDGETS: Budgets = {
  fieldDepth: 5,
  storeFieldDepth: 3,
  factsPerPath: 16,
  symbolsPerPath: 4,
  substitutionFacts: 4096,
  enteringFacts: 1_000_000,
  loopRounds: 8,
  sccRounds: 8,
  summaryEntries: 256,
  stepsPerFunction: 200_000,
  implementationsPerCall: 16,
  heapShare: 0.85,
};
