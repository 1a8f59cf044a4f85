import type { ts } from "ts-morph";
import { withStep, type Fact } from "../facts.js";
import { addStep, concatTrace, type FileRef, type Step } from "../trace.js";
import type { FactMapper, Value } from "../value.js";

/** How a caller's value enters the callee at one root (a parameter, `this`): where, said how, into which place. */
export interface Entering {
  readonly node: ts.Node;
  readonly message: string;
  /** The parameter's place (Step.enters), where the root is one. */
  readonly enters: string | undefined;
}

/**
 * The steps one call site adds to the caller's facts it substitutes for the callee's symbolic facts: after a fact's own
 * (caller-side) trace, the step into the callee ("passed as argument `to` of `send()`"), then the symbolic fact's
 * callee-side trace.
 *
 * The step into the callee depends only on the root and the caller-side trace, and the facts of one caller value mostly
 * share that trace (one read of an object, its fields' facts carrying the trace of that read), whatever the callee-side
 * trace: outline's scan stepped 513k facts through 26k distinct (root, caller trace) pairs, and made a step for each
 * fact. It is made once per pair here, and shared by every fact and every callee-side trace that follows it.
 */
export class EnteringSteps {
  private readonly roots = new Map<string, RootSteps>();
  /** Facts stepped so far (each fact object once per mapper): what the call site's substitution has built (substitution-budget.ts). */
  stepped = 0;

  /** `describe` is asked once per root. */
  constructor(
    private readonly file: FileRef,
    private readonly describe: (root: string) => Entering,
  ) {}

  /**
   * The mapper for the caller's values substituted for symbolic facts of `root` with the callee-side trace `suffix`:
   * many symbolic facts share both (`p0.to`, `p0.from`, `p0.subject` read from one parameter), and one mapper per pair
   * maps each caller node once.
   */
  mapperOf(root: string, suffix: Step | undefined): FactMapper {
    let steps = this.roots.get(root);
    if (!steps) this.roots.set(root, (steps = { entering: this.describe(root), entered: new Map(), byTrace: new Map() }));
    let m = steps.byTrace.get(suffix);
    if (!m) steps.byTrace.set(suffix, (m = new SteppingMapper(this, steps, suffix)));
    return m;
  }

  /** The step into the callee at `root` after the caller-side trace `before`: made once per root and trace. */
  enter(root: RootSteps, before: Step | undefined): Step {
    let s = root.entered.get(before);
    if (!s) {
      const { node, message, enters } = root.entering;
      root.entered.set(before, (s = addStep(before, node, this.file, message, "call", enters)));
    }
    return s;
  }
}

/**
 * The mapper of one root and callee-side trace: one object holding the three, not a closure over them beside a mapper
 * object (a call site makes one per root and trace, growthbook's scan about two million).
 */
class SteppingMapper implements FactMapper {
  readonly keeps = "all";
  k0: Fact | Value | undefined = undefined;
  v0: Fact | Value | undefined = undefined;
  k1: Fact | Value | undefined = undefined;
  v1: Fact | Value | undefined = undefined;
  memo: Map<Fact | Value, Fact | Value | undefined> | undefined = undefined;

  constructor(
    private readonly steps: EnteringSteps,
    private readonly root: RootSteps,
    private readonly suffix: Step | undefined,
  ) {}

  fn(g: Fact): Fact {
    this.steps.stepped++;
    return withStep(g, concatTrace(this.steps.enter(this.root, g.step), this.suffix));
  }
}

interface RootSteps {
  readonly entering: Entering;
  /** The step into the callee after a caller-side trace, by that trace. */
  readonly entered: Map<Step | undefined, Step>;
  /** A mapper per callee-side trace. */
  readonly byTrace: Map<Step | undefined, FactMapper>;
}
