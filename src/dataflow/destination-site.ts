import { ts } from "ts-morph";
import type { EngineContext } from "./context.js";
import type { Destination } from "./flow.js";
import type { SinkHit } from "./signature.js";

/**
 * The destination of one sink call, from its DestinationSpec. Only what syntax settles at the call itself: a fixed
 * vendor host, or a literal URL (possibly inside an options object). Everything else is unresolved, with the expression
 * named, so the finding says why. (The string-domain evaluator in ./destinations/ refines this.)
 */
export function resolveSinkDestination(
  hit: SinkHit,
  call: ts.CallExpression | ts.NewExpression,
  argExprs: readonly ts.Expression[],
  ctx: EngineContext,
): Destination {
  const spec = hit.destination;
  if (!spec) return { status: "none" };
  if (spec.host) return { status: "resolved", host: spec.host.toLowerCase() };
  let expr: ts.Expression | undefined = spec.argument !== undefined ? argExprs[spec.argument] : undefined;
  for (const prop of spec.property ?? []) {
    if (!expr || !ts.isObjectLiteralExpression(expr)) {
      expr = undefined;
      break;
    }
    const p = expr.properties.find(
      (x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && ts.isIdentifier(x.name) && x.name.text === prop,
    );
    expr = p?.initializer;
  }
  const base = spec.base?.[0];
  const text = expr && ts.isStringLiteralLike(expr) ? expr.text : undefined;
  const baseText = base && ts.isStringLiteralLike(base) ? base.text : undefined;
  if (text !== undefined || baseText !== undefined) {
    try {
      const url = new URL(text ?? "", baseText);
      if (url.hostname) return { status: "resolved", host: url.host.toLowerCase(), url: url.href };
    } catch {
      // not a URL: unresolved below
    }
  }
  const shown = expr ?? base ?? call;
  const sf = ctx.fileOf(call)?.sourceFile;
  const what = sf ? shown.getText(sf).replace(/\s+/g, " ").slice(0, 80) : "the call";
  return { status: "unresolved", reason: `destination could not be resolved (from ${what})` };
}
