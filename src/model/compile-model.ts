import type { Policy } from "../config/policy.js";
import type { Question } from "../dataflow/signature.js";
import type { Workspace } from "../workspace/workspace.js";

/** Compiles the policy into the engine's Question. (Skeleton: lands with issues #2 and #4.) */
export function compileModel(_policy: Policy, _workspace: Workspace): Question {
  return {
    sourcesAt: () => [],
    callAt: () => ({ kind: "unknown", label: "?" }),
    isVettedDeclaration: () => false,
    isVettedHost: () => false,
  };
}
