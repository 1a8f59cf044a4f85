/**
 * Destinations: where a sink sends data, decided statically (ENGINE.md §4, docs/vetting.md).
 *
 * The API, in the order the engine uses it:
 * - {@link evaluateDestination}`(expression, env)` — a raw compiler expression to a {@link DestinationValue}:
 *   `Const(s)`, `Concat(parts)`, `Param(i, path)` (symbolic inside a summary), `Env(name)`, `Unknown(reason)`, plus
 *   `url` (`new URL(input, base)`), `object` (option objects, `as const` tables) and `fallback` (`p ?? "…"` with `p`
 *   a parameter). `env.nameValue` says how identifiers evaluate in the current function (parameter → `Param(i)`, a local
 *   the engine tracked → its value); `env.checker` (`workspace.checker()`) lets the evaluator
 *   follow `const` declarations, imports and re-exports itself.
 * - {@link destinationValue}`(spec, call, env)` — a sink call's destination per its {@link DestinationSpec}: the named
 *   argument (and property path), read as a URL, request options or a host, combined with the instance's base URLs;
 *   without a configured base, the SDK's default: a host template filled from the client's configuration
 *   (`sqs.{region}.amazonaws.com`), else a fixed vendor host.
 * - {@link substituteParams}`(value, argumentAt)` — a summary's symbolic destination seen from one call site.
 * - {@link toDestination}`(value)` — the verdict: `{ status: "resolved", host, url? }` (host from the WHATWG URL
 *   parser) or `{ status: "unresolved", reason: "destination could not be resolved (from process.env.X)" }`.
 * - {@link resolveDestination}`(spec, call, env)` — the last two in one step.
 * Vetting the host is the model stage's job (`compileHostPatterns` in src/model/hosts.ts, behind
 * `Question.isVettedHost`); an unresolved destination is never vetted.
 * Nothing here keeps state between calls, holds compiler nodes in its values, recurses without a depth bound, or throws.
 */
export {
  Concat,
  Const,
  Env,
  Param,
  Unknown,
  fallback,
  propertyOf,
  substituteParams,
  unresolvedReason,
  urlToString,
  type DestinationValue,
} from "./value.js";
export { MAX_EVALUATION_DEPTH, MAX_EVALUATION_STEPS, evaluateDestination, type EvaluationEnvironment } from "./evaluate.js";
export { destinationValue, resolveDestination, toDestination } from "./resolve.js";
