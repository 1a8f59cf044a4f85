import type { ts } from "ts-morph";
import { nodeLocation, sameNode, type LocatedNode } from "./located-node.js";
import type { FlowStep } from "../vocabulary/flow.js";

/** A scanned file as the engine sees it: the raw source file and its path relative to the scan root. */
export interface FileRef {
  path: string;
  sourceFile: ts.SourceFile;
}

/**
 * One step of a path, in a persistent linked list that points backwards: appending shares the whole tail, so a trace
 * costs O(1) per step however many facts carry it. Locations are computed only when a flow is reported.
 */
export interface Step {
  readonly node: ts.Node | LocatedNode;
  readonly file: FileRef;
  readonly message: string;
  readonly role: FlowStep["role"];
  readonly prev: Step | undefined;
  /** Number of steps up to and including this one: joins keep the shortest trace. */
  readonly length: number;
  /**
   * A place this step puts data into that is also a name-only source (a parameter: `p:<file>:<pos>`, a class field:
   * `f:<class>:<name>`): a flow whose source is that place is downstream of this one and not shown separately.
   */
  readonly enters?: string;
}

export function addStep(
  prev: Step | undefined,
  node: ts.Node | LocatedNode,
  file: FileRef,
  message: string,
  role: FlowStep["role"] = "step",
  enters?: string,
): Step {
  return { node, file, message, role, prev, length: (prev?.length ?? 0) + 1, enters };
}

/** The steps of a trace, oldest first. */
export function stepsOf(step: Step | undefined): Step[] {
  const out: Step[] = [];
  for (let s = step; s; s = s.prev) out.push(s);
  return out.reverse();
}

/**
 * Appends a callee-side trace (steps after a parameter was entered) onto a caller-side one, in O(1): the result is the
 * suffix's last step with a lazy `prev` that splices the rest of the suffix onto the prefix only when a reader walks
 * back through it (a reported flow, the `enters` check). Substituting a summary appends its facts' traces at every
 * call site, and most of those traces are never walked; copying them made the cost grow with the trace length.
 */
export function concatTrace(prefix: Step | undefined, suffix: Step | undefined): Step | undefined {
  if (!suffix) return prefix;
  return new SplicedStep(prefix, suffix);
}

/**
 * One step of a spliced trace: the suffix's step, whose predecessors (the suffix's, then the prefix) come on demand.
 *
 * It keeps the suffix's step itself, not that step's predecessor: reading `last.prev` when the step is made would splice
 * `last` at once when it is a spliced step too — and that one's own `last`, down the whole chain — so every call site
 * substituting a callee whose traces were already spliced (a callee of a callee) copied the callee's traces in full.
 * On growthbook's scan those copies were 72 MB of the 865 MB the settled heap keeps (performance.md, session 39 —
 * helper M). The step's place and message are read through `head`, the plain step at the end of the suffix, and the
 * step is four fields: the largest number of these the engine keeps, made at every call site for every fact it steps.
 */
class SplicedStep implements Step {
  readonly length: number;
  /** The plain step this one shows (the suffix's last, through any splices it is made of). */
  private readonly head: Step;
  /** The suffix's last step until the step is spliced; undefined after. */
  private last: Step | undefined;
  /** The prefix until the step is spliced; the step before this one after. */
  private link: Step | undefined;

  constructor(before: Step | undefined, last: Step) {
    this.head = last instanceof SplicedStep ? last.head : last;
    this.length = (before?.length ?? 0) + last.length;
    this.last = last;
    this.link = before;
  }

  get node(): ts.Node | LocatedNode {
    return this.head.node;
  }

  get file(): FileRef {
    return this.head.file;
  }

  get message(): string {
    return this.head.message;
  }

  get role(): FlowStep["role"] {
    return this.head.role;
  }

  get enters(): string | undefined {
    return this.head.enters;
  }

  /** What the step is made of, for writing it down unspliced (the analysis cache): the prefix and the suffix's last step. */
  parts(): { spliced: false; before: Step | undefined; last: Step } | { spliced: true; prev: Step | undefined } {
    return this.last === undefined ? { spliced: true, prev: this.link } : { spliced: false, before: this.link, last: this.last };
  }

  /** The suffix's last step while the step is unspliced, else undefined: `parts()` without an object per call. */
  unsplicedLast(): Step | undefined {
    return this.last;
  }

  /** The prefix while the step is unspliced, the step before it after: `parts()`'s `before` or `prev`. */
  backLink(): Step | undefined {
    return this.link;
  }

  get prev(): Step | undefined {
    const last = this.last;
    if (last !== undefined) {
      const rest = last.prev;
      if (rest) this.link = concatTrace(this.link, rest);
      this.last = undefined;
    }
    return this.link;
  }
}

/** A step read back from the analysis cache as it was written: the suffix's last step `last` after `before`. */
export function splicedStep(before: Step | undefined, last: Step): Step {
  return new SplicedStep(before, last);
}

/**
 * The suffix's last step of a step built by concatTrace and not spliced yet, else undefined; with {@link linkBack}, what
 * {@link splicedParts} tells without making an object per step (the walks of other-paths.ts made one per step they
 * walked: 2.8 % of what growthbook's scan allocated, performance.md, session 51 — helper M).
 */
export function unsplicedLast(step: Step): Step | undefined {
  return step instanceof SplicedStep ? step.unsplicedLast() : undefined;
}

/** Where a walk back goes from `step` without splicing it: an unspliced step's prefix (after its suffix), else `prev`. */
export function linkBack(step: Step): Step | undefined {
  return step instanceof SplicedStep ? step.backLink() : step.prev;
}

/** The parts of a step built by concatTrace, or undefined for a plain step. */
export function splicedParts(step: Step): ReturnType<SplicedStep["parts"]> | undefined {
  return step instanceof SplicedStep ? step.parts() : undefined;
}

/**
 * The steps of a trace from its last back, without splicing it: reading `prev` through a spliced step copies the
 * callee's part of the trace onto the caller's (and keeps the copy), which a report does once per shown flow, but a
 * summary choosing its entries' other paths (other-paths.ts) would do for every trace it compares. An unspliced step
 * stands for its suffix's steps, then its prefix's. A cursor rather than a generator: the summaries of growthbook's
 * query runners walk tens of millions of steps.
 */
export class StepsBack {
  private readonly pending: (Step | undefined)[] = [];
  private at: Step | undefined;

  constructor(step: Step | undefined) {
    this.at = step;
  }

  /** Starts again from `step`: a cursor reused for each comparison (other-paths.ts) instead of two made per comparison. */
  reset(step: Step | undefined): this {
    this.at = step;
    this.pending.length = 0;
    return this;
  }

  /** The next step back, or undefined past the first. */
  next(): Step | undefined {
    for (;;) {
      const s = this.at;
      if (s === undefined) {
        if (this.pending.length === 0) return undefined;
        this.at = this.pending.pop();
        continue;
      }
      const last = unsplicedLast(s);
      if (last !== undefined) {
        this.pending.push(linkBack(s));
        this.at = last;
        continue;
      }
      this.at = linkBack(s);
      return s;
    }
  }

  /** Whether `other` will give the same steps as this cursor from here on: the same place, the same parts pending. */
  sameRest(other: StepsBack): boolean {
    if (this.at !== other.at || this.pending.length !== other.pending.length) return false;
    for (let i = 0; i < this.pending.length; i++) if (this.pending[i] !== other.pending[i]) return false;
    return true;
  }
}

/** Turns a trace into reportable steps, dropping immediate repeats (same place, same message). */
export function materialize(step: Step | undefined): FlowStep[] {
  const out: FlowStep[] = [];
  let last: Step | undefined;
  for (const s of stepsOf(step)) {
    if (last && last.message === s.message && sameNode(last, s)) continue;
    last = s;
    out.push({ location: nodeLocation(s.node, s.file), message: s.message, role: s.role });
  }
  return out;
}
