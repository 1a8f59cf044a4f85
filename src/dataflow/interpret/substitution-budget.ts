import { HeapExhausted, STEPS_PER_LOOK, type HeapGuard } from "../heap-guard.js";
import { capFacts, flatten, joinValues, type Value } from "../value.js";

/**
 * Bounds one call site's substitution of its callee's summary. A summary's values are bounded where they are made (the
 * field depth; `factsPerPath` per path, one fact per data class and per symbol root past it), but the caller's values
 * substituted into them are not, and neither is a callback's result, which later callbacks of the same call substitute
 * again. A bundled prompt class (enquirer, in Yarn's release) calls the functions its caller supplies 256 times (the
 * summary's cap), each result one more symbol root that the cap keeps apart, each holding every earlier one: one node
 * of the substitution held 15,744 facts — every combination of five field names the class reads
 * (`this.message.disabled.value.indent.message`) — and the call grew past any heap inside one operation, with no step
 * of the interpreter in between (performance.md, session 34, helper H). On the corpus no node of a substitution holds
 * more than 457 facts.
 *
 * So a node the substitution builds (or a callback's result) holding more than `substitutionFacts` facts spends the
 * budget (`budget-substitution`, naming the callee and the calling function), and the rest of that call is taken as a
 * whole: each node holding symbolic facts gets every fact of the caller's receiver, arguments and callbacks' results,
 * flattened and stepped into the callee, one per data class and per symbol root (as a written value keeps past
 * `factsPerPath`); each sink inside the callee is reached by all of them; the fields of the summary's trees are kept.
 * Nothing the caller passes is dropped; what is lost is which path of it went where, and which of several sources of
 * one data class.
 *
 * A call site whose nodes stay small can still step the caller's values into the callee without end: each symbolic fact
 * of the summary is the caller's value at its path, stepped with that fact's callee-side trace, so a summary with
 * thousands of traces (a minified React's `reconcileChildFibers`, called with the fiber it is building) copies the
 * caller's tree once per trace — 4,655 traces, 2 million facts and 950 MB in one call, where the largest call site of
 * the corpus steps 188,308 (growthbook; performance.md, session 35, helper H). So past `enteringFacts` facts stepped
 * into the callee the budget is spent too (`budget-entering`), and the rest of the call is taken as a whole alike.
 *
 * The heap guard looks in here too, every `STEPS_PER_LOOK` facts built or stepped into the callee: a substitution whose
 * nodes stay small can still step a caller's tree of hundreds of thousands of facts (a minified React's fibers), and
 * the guard's stop unwinds it as it does a step.
 */
export class SubstitutionBudget {
  private built = 0;
  private nextLook = STEPS_PER_LOOK;
  private spent = false;
  private whole: Value | undefined;
  /** How many of the callbacks' results `whole` holds. */
  private joined = 0;

  constructor(
    /** The largest node (`substitutionFacts`) and the facts stepped into the callee in all (`enteringFacts`). */
    private readonly max: { readonly node: number; readonly entering: number },
    /** Facts stepped into the callee so far at this call site (EnteringSteps). */
    private readonly stepped: () => number,
    private readonly heap: HeapGuard,
    /** Told once, when the budget is spent: by a node past `max.node`, or by the facts stepped past `max.entering`. */
    private readonly onSpent: (by: "node" | "entering") => void,
    /** The receiver's and arguments' facts, flattened and stepped into the callee. */
    private readonly actualsWhole: () => Value,
    /** The callbacks' results so far, in the order they answered (the caller's own values: not stepped). */
    private readonly results: ReadonlyMap<string, Value>,
    /** Facts kept per data class and symbol root of the whole (`factsPerPath`). */
    private readonly factsPerPath: number,
  ) {}

  /** A node the substitution has built, or a callback's result, with this many facts at it. */
  add(facts: number): void {
    this.built += facts;
    if (facts > this.max.node) this.spend("node");
    this.lookAtHeap();
  }

  /** Whether the budget is spent: from here on the call counts as a whole (`wholeValue`). */
  exhausted(): boolean {
    this.lookAtHeap();
    if (this.stepped() > this.max.entering) this.spend("entering");
    return this.spent;
  }

  private spend(by: "node" | "entering"): void {
    if (this.spent) return;
    this.spent = true;
    this.onSpent(by);
  }

  private lookAtHeap(): void {
    const work = this.built + this.stepped();
    if (work < this.nextLook) return;
    this.nextLook = work + STEPS_PER_LOOK;
    if (this.heap.exhaustedWithin()) throw new HeapExhausted();
  }

  /**
   * Every fact of the call's receiver, arguments and callbacks' results so far, as one value without fields. A result
   * that answered since the last ask is joined in: it is mostly what the call already held (a function the scan cannot
   * see answers with its arguments).
   */
  wholeValue(): Value {
    let whole = this.whole;
    if (whole === undefined || this.joined < this.results.size) {
      whole ??= this.actualsWhole();
      let i = 0;
      for (const r of this.results.values()) if (i++ >= this.joined) whole = joinValues(whole, flatten(r));
      this.joined = this.results.size;
      this.whole = whole = capFacts(whole, this.factsPerPath, () => {});
    }
    return whole;
  }
}
