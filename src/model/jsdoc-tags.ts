import { ts } from "ts-morph";

/** Per file: whether its text holds a JSDoc comment at all (kept for the scan's files, dropped with them). */
const holdsJsDoc = new WeakMap<ts.SourceFile, boolean>();

/**
 * `ts.getJSDocTags(node)`, without its walk where the node's file holds no `/**` comment: the compiler makes JSDoc only
 * from comments that open with `/**`, and a node's tags (its own, a parameter's `@param` on its function, a variable's
 * on its statement) come from comments of its own file, so such a file has none. The walk is what costs: on a
 * generated gateway's 50k-line scan the model asked it of the parameters and variables of services that carry
 * no JSDoc, about 160 ms of a 10 s profile.
 */
export function jsDocTags(node: ts.Node): readonly ts.JSDocTag[] {
  const file = node.getSourceFile();
  let holds = holdsJsDoc.get(file);
  if (holds === undefined) holdsJsDoc.set(file, (holds = file.text.includes("/**")));
  return holds ? ts.getJSDocTags(node) : [];
}
