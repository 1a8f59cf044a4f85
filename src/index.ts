// The public library API. Only scan() and the result's types are exported: stages are internals, free to change.
export { scan, type ScanOptions, type ScanProgress } from "./scan.js";
export type { ScanResult, ScanStats, Notification } from "./result.js";
export type { Finding, Level } from "./findings/finding.js";
export type { Flow, FlowStep, EgressPoint, Destination } from "./vocabulary/flow.js";
export type { SourceLocation } from "./location.js";
export type { RuleMetadata } from "./findings/rule-catalog.js";
export type { SinkKind } from "./vocabulary/sink-kind.js";
