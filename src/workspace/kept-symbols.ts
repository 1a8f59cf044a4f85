import type { ts } from "ts-morph";

/**
 * The checker, made to keep its answer to `getSymbolAtLocation` per node: each node is resolved once per checker, however
 * many of flowgate's questions ask about it. The checker keeps no such answer itself where it matters most:
 *  - a name (an identifier read, a type name) is looked up through its scopes again at every question;
 *  - a member read whose receiver's type has no such member (`ctx.state` with `ctx` typed `any`, as a parameter typed
 *    by a package that is not loaded is) is checked again at every question — the receiver's type worked out once more,
 *    with its flow narrowing — since only a found member is remembered.
 * And one read is asked about from several places: whether a call's member is a function held in a property
 * (heldInProperty), what the callee is (provenance), whether its declaration classifies it (sources), which request
 * member it names. On a generated 50k-line gateway one question in three was a node asked before; on outline one in six.
 *
 * The answer is the checker's, asked the first time: asking again gives the same symbol (the node and the program do
 * not change during a scan, and every type the first answer needed is kept by the checker by then), so keeping it
 * changes no answer. A question that throws keeps nothing: it is asked again, and throws again, as before.
 * The checker object itself is changed (not wrapped), so whoever holds it — the program's `getTypeChecker()`, the
 * narrow checker's guard (narrow-checker.ts), which still sees every question — asks through the kept answers.
 */
export function keepingSymbols(checker: ts.TypeChecker): ts.TypeChecker {
  const ask = checker.getSymbolAtLocation.bind(checker);
  const kept = new Map<ts.Node, ts.Symbol | null>();
  checker.getSymbolAtLocation = (node) => {
    const known = kept.get(node);
    if (known !== undefined) return known ?? undefined;
    const symbol = ask(node);
    kept.set(node, symbol ?? null);
    return symbol;
  };
  return checker;
}
