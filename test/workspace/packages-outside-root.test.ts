import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/index.js";
import type { ScanResult } from "../../src/result.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

/** An app's sign-up: the welcome mail through the monorepo's own package, and a third-party tracker. */
function signupImporting(emailModule: string): string {
  return [
    `import { sendWelcome } from "${emailModule}";`,
    'import { track } from "tiny-analytics";',
    "export async function signup(body: { email: string }) {",
    "  await sendWelcome(body.email);",
    "  track(body.email);",
    "}",
    "",
  ].join("\n");
}

// A pnpm monorepo scanned from one app's folder: the app depends on the monorepo's e-mail package with the
// `workspace:` protocol, and that package's code (which logs the address) lies outside the scan root.
const MONOREPO = {
  "package.json": JSON.stringify({ name: "acme-monorepo", private: true }),
  "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
  "apps/web/package.json": JSON.stringify({
    name: "web",
    dependencies: { "@acme/email": "workspace:*", "tiny-analytics": "^1.0.0" },
  }),
  "apps/web/src/signup.ts": signupImporting("@acme/email"),
  "packages/email/package.json": JSON.stringify({ name: "@acme/email", main: "src/index.ts" }),
  "packages/email/src/index.ts": [
    "export async function sendWelcome(email: string) {",
    '  console.log("welcome mail to", email);',
    "}",
    "",
  ].join("\n"),
};

const rulesAt = (result: ScanResult): string[] =>
  result.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.startLine}`).sort();

describe("the monorepo's own packages when the scan root is one app", () => {
  let tree: string;
  let app: ScanResult;
  let whole: ScanResult;
  beforeAll(async () => {
    tree = writeTree({
      ...MONOREPO,
      "apps/web/flowgate.config.yaml": "extends: recommended\n",
      "flowgate.config.yaml": "extends: recommended\ninclude: [apps/web/**]\n",
    });
    app = await scan({ root: path.join(tree, "apps/web") });
    whole = await scan({ root: tree });
  });
  afterAll(() => removeTree(tree));

  it("takes a `workspace:` dependency for first-party code, not a third-party door", () => {
    expect(rulesAt(app)).toEqual(["leak-to-unmodelled-library src/signup.ts:5"]);
  });

  it("says which own packages it could not analyse, where they are imported, and how to scan them", () => {
    const notes = app.notifications.filter((n) => n.id === "package-outside-root");
    expect(notes.map((n) => [n.level, n.location?.file])).toEqual([["warning", "src/signup.ts"]]);
    expect(notes[0]!.message).toContain("`@acme/email`");
    expect(notes[0]!.message).toContain("scan from the monorepo's root with `include`");
  });

  it("analyses the package, and says nothing of it, when the root holds it", () => {
    expect(rulesAt(whole)).toEqual(["leak-to-log packages/email/src/index.ts:2", "leak-to-unmodelled-library apps/web/src/signup.ts:5"]);
    expect(whole.notifications.filter((n) => n.id === "package-outside-root")).toEqual([]);
  });
});

// npm and Yarn workspaces link a sibling declared with a plain version, and pnpm does too with
// `link-workspace-packages`: only the monorepo root's workspace globs say the sibling is the project's own.
const PLAIN_VERSION_APP = {
  "packages/api/package.json": JSON.stringify({ name: "api", dependencies: { "backend-lib": "0.0.3", "tiny-analytics": "^1.0.0" } }),
  "packages/api/src/signup.ts": signupImporting("backend-lib/src/email"),
  "packages/api/flowgate.config.yaml": "extends: recommended\n",
  "packages/backend-lib/package.json": JSON.stringify({ name: "backend-lib", version: "0.0.3" }),
  "packages/backend-lib/src/email.ts": ["export async function sendWelcome(email: string) {", '  console.log("welcome mail to", email);', "}", ""].join("\n"),
  // a folder the globs take out again: its package is not the monorepo's, whatever its name
  "packages/vendored/package.json": JSON.stringify({ name: "tiny-analytics" }),
};

describe.each([
  ["Yarn's `workspaces` object", { "package.json": JSON.stringify({ name: "mono", private: true, workspaces: { packages: ["packages/*", "!packages/vendored"], nohoist: ["**/jest"] } }) }],
  ["npm's `workspaces` list", { "package.json": JSON.stringify({ name: "mono", private: true, workspaces: ["./packages/**", "!packages/vendored"] }) }],
  ["pnpm-workspace.yaml", { "package.json": JSON.stringify({ name: "mono", private: true }), "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n  - '!packages/vendored'\n" }],
])("a sibling declared with a plain version, workspaces from %s", (_, root) => {
  let tree: string;
  let app: ScanResult;
  beforeAll(async () => {
    tree = writeTree({ ...PLAIN_VERSION_APP, ...root });
    app = await scan({ root: path.join(tree, "packages/api") });
  });
  afterAll(() => removeTree(tree));

  it("takes the sibling for the monorepo's own code and names it as outside the root; a taken-out folder stays third-party", () => {
    expect(rulesAt(app)).toEqual(["leak-to-unmodelled-library src/signup.ts:5"]);
    const notes = app.notifications.filter((n) => n.id === "package-outside-root");
    expect(notes.map((n) => n.message.includes("`backend-lib`"))).toEqual([true]);
  });
});
