import type { ts } from "ts-morph";
import { Kind, forEachChild } from "../compiler-direct.js";
import { identifierTokens } from "./identifier-tokens.js";

/**
 * The words a file's identifiers are made of (`userLat` gives `user` and `lat`; comments and strings are not
 * names): whether a file names a paired name's partner (`lng` beside `lat`, DataClassSpec.pairedNames). Asked only
 * when a paired name matched, so of few files; each file is walked once.
 */
export function fileWordsReader(): (file: ts.SourceFile) => ReadonlySet<string> {
  const memo = new WeakMap<ts.SourceFile, ReadonlySet<string>>();
  return (file) => {
    let words = memo.get(file);
    if (words === undefined) memo.set(file, (words = wordsOf(file)));
    return words;
  };
}

function wordsOf(file: ts.SourceFile): ReadonlySet<string> {
  const names = new Set<string>();
  const pending: ts.Node[] = [file];
  const enqueue = (child: ts.Node): void => {
    pending.push(child);
  };
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === Kind.Identifier || node.kind === Kind.PrivateIdentifier) names.add((node as ts.Identifier).text);
    else forEachChild(node, enqueue);
  }
  const words = new Set<string>();
  for (const name of names) for (const word of identifierTokens(name)) words.add(word);
  return words;
}
