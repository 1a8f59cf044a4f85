/**
 * Text from scanned code made safe for a terminal: control characters (C0, DEL, C1 — ESC among them) and the Unicode
 * bidirectional overrides of "Trojan Source" are shown as visible escapes, so a string in the scanned code can
 * neither inject escape sequences nor reorder what the reviewer reads. Tabs become one space (keeps columns aligned).
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === "\t") return " ";
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
