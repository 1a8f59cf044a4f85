import { describe, expect, it } from "vitest";
import { parseChangedFiles } from "../../src/diff/changed-lines.js";

// Unified diffs as git writes them; editedLines keeps the head lines whose code changed, token by token.
const diff = (hunk: string) => `diff --git a/src/a.ts b/src/a.ts
index 1111111..2222222 100644
--- a/src/a.ts
+++ b/src/a.ts
${hunk}`;

const edited = (hunk: string) => [...(parseChangedFiles(diff(hunk)).get("src/a.ts")?.editedLines ?? [])].sort((a, b) => a - b);

describe("editedLines", () => {
  it("is empty for a formatter's changes: indentation, line breaks, quotes, semicolons, trailing commas, arrow parentheses", () => {
    const hunk = `@@ -1,3 +1,7 @@
-const payload = { to: user.phone, text: "Hello" };
-items.map(x => x.id);
-await axios.post(URL, payload);
+const payload = {
+    to: user.phone,
+    text: 'Hello',
+}
+items.map((x) => x.id)
+await axios.post(URL, payload)
+
`;
    expect(parseChangedFiles(diff(hunk)).get("src/a.ts")?.addedLines.size).toBe(7);
    expect(edited(hunk)).toEqual([]);
  });

  it("keeps the line of a one-token edit inside a reformatted block", () => {
    expect(
      edited(`@@ -1,2 +1,5 @@
-const payload = { to: user.phone, text: "Hello" };
-await axios.post(URL, payload);
+const payload = {
+    to: user.phone,
+    text: 'Hi',
+}
+await axios.post(URL, payload)
`),
    ).toEqual([3]);
  });

  it("is empty for a block moved unchanged, and keeps a moved block that was edited", () => {
    const moved = (line: string) => `@@ -1,4 +1,4 @@
-export const a = 1;
 export const b = 2;
 export const c = 3;
 export const d = 4;
+${line}
`;
    expect(edited(moved("export const a = 1"))).toEqual([]);
    expect(edited(moved("export const a = 2;"))).toEqual([4]);
  });
});
