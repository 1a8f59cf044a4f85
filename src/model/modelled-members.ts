import { ts } from "ts-morph";
import { isIdentifier, isPropertyAccessExpression } from "../compiler-direct.js";
import type { SourceHit } from "../vocabulary/question.js";
import { skipOuterExpressions } from "../workspace/symbols.js";
import { defaultLabel } from "./call-path.js";
import type { LibraryIndex } from "./library-index.js";
import type { ProvenanceResolver } from "./provenance.js";

/**
 * membersOf: the restricted members a library model gives a value, as paths inside it — a node:http request holds the
 * client's address at `socket.remoteAddress` and forwarding headers at `headers["x-forwarded-for"]`. The engine puts
 * them into a value handed to a function that does not declare its parameter (`startCommand.handler = async (next,
 * req, res) => …`), where the model cannot tell that `req.headers` is a request's: the reads there find what the
 * caller's value holds, with the call in the path. A parameter that declares its type is left to the model's own
 * reads of it (sources.ts).
 */
export function createModelledMembers(resolver: ProvenanceResolver, index: LibraryIndex): (expression: ts.Expression) => readonly SourceHit[] {
  const byKey = new Map<string, readonly SourceHit[]>();
  const byNode = new Map<ts.Node, readonly SourceHit[]>();
  return (expression) => {
    let hits = byNode.get(expression);
    if (hits === undefined) {
      const value = worthResolving(expression) ? resolver.ofExpression(expression) : undefined;
      hits = value?.kind === "external" ? membersOfKey(value.key) : NONE;
      byNode.set(expression, hits);
    }
    return hits;
  };

  function membersOfKey(key: string): readonly SourceHit[] {
    let hits = byKey.get(key);
    if (hits === undefined) {
      const out: SourceHit[] = [];
      for (const { path, row } of index.sourcesBelow(key)) {
        const reason = row.label ?? `\`${defaultLabel(row.access)}\``;
        if (row.keys === undefined) out.push({ dataClass: row.dataClass, reason, path });
        else for (const k of row.keys) out.push({ dataClass: row.dataClass, reason: `${reason} \`${k}\``, path: [...path, k] });
      }
      hits = out.length > 0 ? out : NONE;
      byKey.set(key, hits);
    }
    return hits;
  }
}

const NONE: readonly SourceHit[] = [];

/** Only names and member reads can hold a modelled object; literals, calls' results and the like are not asked about. */
function worthResolving(expression: ts.Expression): boolean {
  const e = skipOuterExpressions(expression);
  return isIdentifier(e) || isPropertyAccessExpression(e);
}
