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

/** One step of a spliced trace: the suffix's step, whose predecessors (the suffix's, then the prefix) come on demand. */
class SplicedStep implements Step {
  readonly node: ts.Node | LocatedNode;
  readonly file: FileRef;
  readonly message: string;
  readonly role: FlowStep["role"];
  readonly length: number;
  readonly enters?: string;
  private before: Step | undefined;
  private rest: Step | undefined;
  private spliced = false;
  private previous: Step | undefined;

  constructor(before: Step | undefined, last: Step) {
    this.node = last.node;
    this.file = last.file;
    this.message = last.message;
    this.role = last.role;
    this.length = (before?.length ?? 0) + last.length;
    if (last.enters !== undefined) this.enters = last.enters;
    this.before = before;
    this.rest = last.prev;
  }

  /** What the step is made of, for writing it down unspliced (the analysis cache): its suffix's rest and the prefix. */
  parts(): { spliced: false; before: Step | undefined; rest: Step | undefined } | { spliced: true; prev: Step | undefined } {
    return this.spliced ? { spliced: true, prev: this.previous } : { spliced: false, before: this.before, rest: this.rest };
  }

  get prev(): Step | undefined {
    if (!this.spliced) {
      this.previous = this.rest ? concatTrace(this.before, this.rest) : this.before;
      this.spliced = true;
      this.before = this.rest = undefined;
    }
    return this.previous;
  }
}

/** A step read back from the analysis cache as it was written: `last` (whose `prev` is the suffix's rest) after `before`. */
export function splicedStep(before: Step | undefined, last: Step): Step {
  return new SplicedStep(before, last);
}

/** The parts of a step built by concatTrace, or undefined for a plain step. */
export function splicedParts(step: Step): ReturnType<SplicedStep["parts"]> | undefined {
  return step instanceof SplicedStep ? step.parts() : undefined;
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
