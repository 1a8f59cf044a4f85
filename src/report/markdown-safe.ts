/**
 * Markdown for a pull-request comment, built from text that quotes scanned code. Scanned code must not be able to add
 * HTML, links, images, headings, mentions or issue references to the comment, nor break out of a code span.
 */

/**
 * Prose: characters that start markdown constructs (emphasis, links, images, code, tables, strikethrough) are
 * backslash-escaped, HTML metacharacters become entities, and mentions, #refs and URL autolinks are broken with a
 * zero-width space so scanned code cannot ping people, link issues or plant links.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([@#])/g, "$1&#8203;")
    .replace(/:\/\//g, ":/&#8203;/")
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}&#8203;.`);
}

/** A code span that holds any text on one line: a fence longer than any backtick run inside, padded when needed. */
export function markdownCode(code: string): string {
  const oneLine = code.replace(/[\r\n]+/g, " ");
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") || oneLine.trim() === "" ? " " : "";
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/**
 * A message in which `backtick-quoted` parts are code (as flowgate writes them): those become code spans, the rest
 * escaped prose. A message with unbalanced backticks is escaped as a whole.
 */
export function markdownMessage(message: string): string {
  const parts = message.split("`");
  if (parts.length % 2 === 0) return markdownText(message);
  return parts.map((part, i) => (i % 2 === 1 ? markdownCode(part) : markdownText(part))).join("");
}

/** Text inside HTML (a <summary>): entities only, since markdown is not rendered there. */
export function htmlText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/@/g, "@&#8203;");
}
