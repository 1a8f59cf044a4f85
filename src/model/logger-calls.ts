import { ts } from "ts-morph";
import { Kind, isCallExpression, isElementAccessExpression, isIdentifier, isPrivateIdentifier, isPropertyAccessExpression, isStringLiteralLike, isTypeReferenceNode } from "../compiler-direct.js";
import type { SinkHit } from "../vocabulary/question.js";
import { skipOuterExpressions } from "../workspace/symbols.js";
import { identifierTokens } from "./identifier-tokens.js";
import type { Provenance } from "./provenance.js";

/**
 * A log level call on a logger the scan cannot see into is a log door of its own.
 *
 * Gateways log through loggers whose body is not in the scanned files: a logger injected by a framework and declared
 * only by an interface (`protected logger_: Logger`, the type from a package of the monorepo that is not scanned), a
 * job runner's `io.logger` typed by a type literal whose implementations are object literals, an own workspace package
 * (`import { logger } from "@acme/logger"`) outside the scanned subpaths. The call resolves to no body and no model, so
 * without this rule its arguments would only flow into its (unused) result.
 *
 * Bounded to what says "logger" twice: the method is a log level (`LEVELS`) AND the receiver is named as a logger — its
 * own name (`logger`, `this.logger_`, `io.logger`, `log`, `requestLog`) or the name of its declared type (`Logger`,
 * `ExtendedLogger`, `ILogger`) ends in the word `logger` or `log`. It applies only where the call would otherwise be
 * unknown or an unmodelled package's: a project logger whose body is scanned is analysed as usual (its sinks decide,
 * a no-op logger is clean), a modelled library is answered by its model, and a vetted call stays vetted.
 */
const LEVELS = new Set([
  "log",
  "trace",
  "debug",
  "verbose",
  "silly",
  "info",
  "notice",
  "warn",
  "warning",
  "error",
  "fatal",
  "critical",
  // an audit trail written through the logger (pino `customLevels: { audit }`)
  "audit",
]);

/** The sink id of these doors (no model row declares it). */
export const LOGGER_LEVEL_CALL = "logger-level-call";

const LOGGER_WORDS = new Set(["logger", "log"]);

function namesLogger(name: string | undefined): boolean {
  if (name === undefined) return false;
  const words = identifierTokens(name);
  const last = words[words.length - 1];
  return last !== undefined && LOGGER_WORDS.has(last);
}

/** The name a value's provenance gives it: a package value's last member (`Logger`), a project declaration's name. */
function provenanceName(value: Provenance | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.kind === "external") {
    const members = value.key.slice(value.key.indexOf("#") + 1).split(".");
    return members[members.length - 1]?.replace(/\(\)$/, "");
  }
  const name = (value.declaration as { name?: ts.Node }).name;
  return name !== undefined && (isIdentifier(name) || isPrivateIdentifier(name)) ? name.text : undefined;
}

/** The declared type's name of the declaration a provenance points at (`logger_: Logger` → `Logger`). */
function declaredTypeName(value: Provenance | undefined): string | undefined {
  if (value?.kind !== "project") return undefined;
  const type = (value.declaration as { type?: ts.TypeNode }).type;
  if (type === undefined || !isTypeReferenceNode(type)) return undefined;
  return isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
}

function receiverName(receiver: ts.Expression): string | undefined {
  if (isIdentifier(receiver)) return receiver.text;
  if (isPropertyAccessExpression(receiver)) return receiver.name.text;
  if (isElementAccessExpression(receiver)) {
    const key = skipOuterExpressions(receiver.argumentExpression);
    return isStringLiteralLike(key) ? key.text : undefined;
  }
  return undefined;
}

/**
 * The log sink of `receiver.level(…)` when the receiver is a logger by name or declared type, else undefined.
 * `receiverValue` resolves the receiver's provenance (asked only once the method name is a level).
 */
export function loggerLevelCall(
  call: ts.CallExpression | ts.NewExpression,
  receiverValue: (receiver: ts.Expression) => Provenance | undefined,
): SinkHit | undefined {
  if (!isCallExpression(call)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!isPropertyAccessExpression(callee) || !LEVELS.has(callee.name.text)) return undefined;
  const receiver = skipOuterExpressions(callee.expression);
  if (receiver.kind === Kind.ThisKeyword || receiver.kind === Kind.SuperKeyword) return undefined;
  let logger = namesLogger(receiverName(receiver));
  if (!logger) {
    const value = receiverValue(receiver);
    logger = namesLogger(provenanceName(value)) || namesLogger(declaredTypeName(value));
  }
  if (!logger) return undefined;
  const text = callee.getText().replace(/\s+/g, "");
  const label = text.length > 60 ? `…${text.slice(-59)}` : text;
  return { id: LOGGER_LEVEL_CALL, kind: "log", label, callee: label, arguments: "all" };
}
