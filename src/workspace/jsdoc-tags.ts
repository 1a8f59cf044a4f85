/**
 * Which files' JSDoc comments a scan reads. The only readers are the model's tag tests — a data class's `tags` and the
 * policy's `classTags` (`/** @restricted phone *\/`: sources.ts, restricted-members.ts, class-tags.ts) — and each
 * compares a tag's name, lowercased, with that set. The checker takes no type from JSDoc in TypeScript files (only in
 * JavaScript ones, where `@type` and `@param` declare types), which is why `tsc` itself parses no JSDoc of a `.ts` file
 * but `@see`/`@link` ones. So a TypeScript file whose text mentions none of the tags is parsed without its JSDoc: on
 * the corpus that is every file, and 10–15 % of the parse (medusa's 2,604 files: 1.63 → 1.41 s).
 */

/** The parts of a policy that say which JSDoc tags are read; a scope without them (not a policy) reads them all. */
export interface JsDocReaders {
  classTags?: readonly string[];
  dataClasses?: readonly { tags: readonly string[] }[];
}

/** Whether a file of this text may have a JSDoc tag that a reader of the scope compares. */
export type NeedsJsDoc = (text: string) => boolean;

const EVERY_FILE: NeedsJsDoc = () => true;

export function jsDocNeed(readers: JsDocReaders): NeedsJsDoc {
  if (readers.classTags === undefined || readers.dataClasses === undefined) return EVERY_FILE;
  // the readers' own normalisation: `@` dropped, lowercased (data-classes.ts normalizeTag, class-tags.ts)
  const tags = [...new Set([...readers.classTags, ...readers.dataClasses.flatMap((d) => d.tags)].map((t) => t.replace(/^@/, "").toLowerCase()))];
  if (tags.length === 0) return () => false;
  // A tag name is the text right after `@`, so `@` and its lowercased name are in the lowercased text, letter by letter
  // for ASCII names (non-ASCII ones could lowercase by context, like a final sigma: then every file is read whole); a
  // name written with a Unicode escape (`@p\u0069i`, which the JSDoc scanner decodes) is a `\u` anywhere in the file.
  if (tags.some((t) => [...t].some((c) => c.charCodeAt(0) > 0x7f))) return EVERY_FILE;
  const written = tags.map((t) => `@${t}`);
  return (text) => {
    if (text.includes("\\u")) return true;
    const lower = text.toLowerCase();
    return written.some((w) => lower.includes(w));
  };
}
