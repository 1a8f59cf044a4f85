import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The compiler package (@ts-morph/common) holds the texts of TypeScript's 108 lib files as string literals in one array,
 * built when its module is evaluated — 2.8 MB, 2.7 of it `lib.dom.d.ts` and `lib.webworker.d.ts`, which a scan loads
 * only for a file that names them (`/// <reference lib="dom" />`; flowgate's own options name es2023 alone). In the
 * startup snapshot each is there twice, in the bundle's source and as a string of the heap (two bytes a character: the
 * DOM's texts are not all ASCII), 8 MB of a 31 MB heap that every scan deserialises. So the bundle's copy of that array
 * gets each text from a getter instead, which reads it from a file written beside the snapshot with the same text;
 * lib-files.ts reads a lib's `text` only when the lib is parsed, so the heap holds the texts of the libs the warm-up
 * parsed, and a scan reads another from disk when a file names it. A package whose array this does not recognise, or
 * a text that does not come back from its file unchanged, is bundled as it is.
 */
export function withLibTextsFromFiles(source: string, texts: ReadonlyMap<string, string>, directory: string): string {
  const replaced: [start: number, end: number, fileName: string][] = [];
  const entry = /fileName:\s*"(lib[\w.-]*\.d\.ts)",\s*text:\s*/g;
  for (let match = entry.exec(source); match !== null; match = entry.exec(source)) {
    const fileName = match[1]!;
    const start = match.index + match[0].lastIndexOf("text:");
    const end = stringLiteralEnd(source, match.index + match[0].length);
    if (end === undefined || !texts.has(fileName)) return source;
    replaced.push([start, end, fileName]);
    entry.lastIndex = end;
  }
  if (replaced.length === 0 || replaced.length !== texts.size) return source;
  mkdirSync(directory, { recursive: true });
  for (const [fileName, text] of texts) {
    const file = path.join(directory, fileName);
    writeFileSync(file, text, "utf8");
    if (readFileSync(file, "utf8") !== text) return source; // a lone surrogate would not survive UTF-8
  }
  let out = "";
  let at = 0;
  for (const [start, end, fileName] of replaced) {
    out += `${source.slice(at, start)}get text() { return __flowgateLibText(${JSON.stringify(fileName)}); }`;
    at = end;
  }
  return out + source.slice(at);
}

/** Where the string literal that starts at `at` ends (the index after its closing quote); undefined if none starts there. */
function stringLiteralEnd(source: string, at: number): number | undefined {
  const quote = source[at];
  if (quote !== '"' && quote !== "'") return undefined;
  for (let i = at + 1; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === quote) return i + 1;
    else if (c === "\n") return undefined;
  }
  return undefined;
}
