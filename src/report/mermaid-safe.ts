/**
 * Mermaid flowchart text built from names in scanned code. Node ids are always generated (`d3`), never code text, so
 * a label is the only place scanned text goes; a label is a double-quoted string in which every character Mermaid or
 * the markdown around the diagram could read as syntax is written as a Mermaid entity code (`#quot;`, `#35;`):
 * quotes close the string, `#` starts an entity, `%%{…}%%` anywhere is a config directive, backticks turn the label
 * into markdown and can close the ```mermaid fence, `<`/`>`/`&` are HTML to the renderer, braces open directives.
 * Brackets, parentheses, pipes and semicolons are inert inside the quotes (shape and edge syntax stops there), so they
 * stay readable in the source. Control characters and bidirectional overrides are shown as `�` (they could reorder what the
 * reader sees); other Unicode is kept as written.
 */

// Characters written as numeric entity codes. `#` must be in the set, so an entity we write is never re-read.
const ESCAPED = /["#%&<>`{}]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Longest label text before it is shortened with "…" (Mermaid wraps long labels into tall boxes). */
export const MAX_LABEL_CHARS = 60;

/** A double-quoted Mermaid label holding `text` verbatim as the reader sees it, shortened to `max` characters. */
export function mermaidLabel(text: string, max = MAX_LABEL_CHARS): string {
  const oneLine = text.replace(/\s+/g, " ").trim().replace(INVISIBLE, "\ufffd");
  const chars = [...oneLine];
  const short = chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : oneLine;
  return `"${short.replace(ESCAPED, (c) => `#${c.codePointAt(0)};`)}"`;
}
