/**
 * The kinds a model row can give a sink, plus `unmodelled-library`: a call into a third-party package that no model
 * covers and that is not known to keep data in the process (the model stage decides; no row has this kind).
 */
export type SinkKind = ModelledSinkKind | "unmodelled-library";
export type ModelledSinkKind = "network" | "log" | "telemetry" | "third-party" | "queue" | "socket" | "storage" | "process";

/** The kinds a library model or the policy's `sinks:` may use. */
export const SINK_KINDS: readonly ModelledSinkKind[] = [
  "network",
  "log",
  "telemetry",
  "third-party",
  "queue",
  "socket",
  "storage",
  "process",
];
