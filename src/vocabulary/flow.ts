import type { SourceLocation } from "../location.js";
import type { SinkKind } from "./sink-kind.js";

/** One step of a path, as a SARIF threadFlow location and a numbered line in the terminal. */
export interface FlowStep {
  location: SourceLocation;
  /** Short, reviewer-facing: "phone read from user.phone", "passed as argument 'body' of post()". */
  message: string;
  role: "source" | "step" | "call" | "return" | "sink";
}

/** Where a sink sends its data, as far as static evaluation can tell. */
export type Destination =
  | { status: "resolved"; host: string; url?: string }
  | { status: "unresolved"; reason: string } // "destination could not be resolved (from process.env.ANALYTICS_URL)"
  // a path without a host (`/api/invites`): the origin the code runs on — the gateway's own routes from a browser; from
  // Node nothing, a relative URL does not parse
  | { status: "same-origin"; path: string }
  | { status: "none" }; // sinks without a host: logs, telemetry, files

/** Restricted data of one class reaching one sink argument along one (shortest known) path. */
export interface Flow {
  dataClass: string;
  source: { location: SourceLocation; reason: string; expression: string };
  sink: {
    location: SourceLocation; // the sink argument (inside a wrapper, if that is where the call is)
    id: string;
    kind: SinkKind;
    label: string;
    callee: string;
    /** For `unmodelled-library` sinks: the npm package the call goes into. */
    package?: string;
    /** The enclosing function's project-qualified name (`src/notify.ts#Notifier.send`), for fingerprints. */
    enclosingFunction: string;
  };
  destination: Destination;
  /** A flow to a vetted host is kept for the inventory but is not a finding. */
  vetted: boolean;
  /**
   * What is vetted on this way out, but only for other data classes, so the finding can say so: the destination host
   * (`{ host, classes }` in `vetted.hosts`) and the enclosing vetted door (`{ call, classes }` in `vetted.calls`).
   */
  vettedOnlyFor?: { host?: readonly string[]; door?: { label: string; classes: readonly string[] } };
  /** The whole path, source first, sink last. */
  steps: FlowStep[];
  /**
   * Other paths of the same data to the same sink argument, each through a file the shorter ones do not visit (a
   * wrapper's other callers): shown beside `steps`, never a result of their own (src/dataflow/analyze.ts).
   */
  otherPaths?: FlowStep[][];
  /** Sanitizer calls that the path went around or through (used by update review to spot removed ones). */
  sanitizedBy?: string[];
}

/** An egress point found in the code, whether or not restricted data reaches it (the reviewer's inventory). */
export interface EgressPoint {
  location: SourceLocation; // the call
  kind: SinkKind;
  label: string;
  callee: string;
  /** For `unmodelled-library` points: the npm package the call goes into. */
  package?: string;
  destination: Destination;
  /** Vetted for every class that reaches it (a host vetted for some classes only is vetted while only those reach it). */
  vetted: boolean;
  /** The classes the host is vetted for, when it is vetted only for some (`{ host, classes }`). */
  vettedFor?: readonly string[];
  dataClasses: string[]; // sorted
}
