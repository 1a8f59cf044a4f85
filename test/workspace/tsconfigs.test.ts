import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { readTsconfigs, strictJsonObject } from "../../src/workspace/tsconfigs.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

/** Keys in order, recursively, with -0 told from 0: what `toEqual` would not tell apart. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === "number" && Object.is(value, -0)) return "-0";
  if (value !== null && typeof value === "object") {
    return { prototype: Object.getPrototypeOf(value) === Object.prototype, entries: Object.entries(value).map(([k, v]) => [k, shape(v)]) };
  }
  return value;
}

describe("a tsconfig read with JSON.parse when it is strict JSON", () => {
  const strict = [
    JSON.stringify({ extends: "./base.json", compilerOptions: { target: "es2022", paths: { "@/*": ["./src/*"] }, strict: true } }),
    '{"compilerOptions":{"baseUrl":"."},"include":["src/**/*"],"exclude":[],"references":[{"path":"../lib"}]}',
    '{ "a": 1, "a": 2, "2": "two", "1": "one", "b": null, "c": [true, false, -0, 1e400, 1.50, -2e-3] }',
    '{ "s": "tab\\t quote\\" slash\\/ back\\\\ \\u00e9 \\ud83d\\ude00 lone \\ud800 é 😀" }',
    '  \r\n\t{}\n',
    '{"nested":{"deep":{"deeper":[{"x":[[]]}]}}}',
    '{ "s": "line\u2028separator\u2029" }',
  ];
  const others = [
    '{\n  // a comment\n  "compilerOptions": { "strict": true }\n}',
    '{ "compilerOptions": { "strict": true, }, }',
    '/* block */ { "extends": "./base.json" }',
    "\uFEFF{ \"compilerOptions\": {} }",
    '{ "__proto__": { "compilerOptions": { "strict": true } } }',
    "[1, 2]",
    "[{ \"compilerOptions\": {} }]",
    '"text"',
    "",
    "{ compilerOptions: {} }",
    "{ 'single': 1 }",
  ];

  it("gives the object TypeScript's reader gives, key for key", () => {
    for (const text of strict) {
      const fast = strictJsonObject(text);
      const typescript = ts.parseConfigFileTextToJson("/p/tsconfig.json", text);
      expect(typescript.error, text).toBeUndefined();
      expect(fast, text).toBeDefined();
      expect(shape(fast), text).toEqual(shape(typescript.config));
    }
  });

  it("leaves everything else to TypeScript's reader", () => {
    for (const text of others) expect(strictJsonObject(text), text).toBeUndefined();
    expect(strictJsonObject(undefined)).toBeUndefined();
    // what a plain JSON.parse would get wrong: TypeScript's reader sets the prototype
    expect(Object.keys(ts.parseConfigFileTextToJson("/p/tsconfig.json", others[4]!).config)).toEqual([]);
    expect(Object.keys(JSON.parse(others[4]!) as object)).toEqual(["__proto__"]);
  });
});

describe("configs extending one base, read together", () => {
  let root: string;
  const configs = [
    "tsconfig.json",
    "packages/a/tsconfig.json",
    "packages/b/tsconfig.json",
    "packages/c/tsconfig.json",
    "packages/d/tsconfig.json",
    "packages/e/jsconfig.json",
    "apps/x/tsconfig.json",
    "apps/y/tsconfig.json",
  ];
  beforeAll(() => {
    root = writeTree({
      // the root config, with comments, extends a base in strict JSON that extends another
      "tsconfig.json": '{\n  // shared\n  "extends": "./tsconfig.base.json",\n  "compilerOptions": { "baseUrl": ".", "paths": { "@acme/*": ["packages/*/src"] }, },\n}',
      "tsconfig.base.json": JSON.stringify({ extends: "./tsconfig.strictest.json", compilerOptions: { target: "es2022", outDir: "dist" }, include: ["**/*"] }),
      "tsconfig.strictest.json": JSON.stringify({ compilerOptions: { strict: true, noImplicitAny: true } }),
      "packages/a/tsconfig.json": JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { outDir: "lib" } }),
      "packages/b/tsconfig.json": JSON.stringify({ extends: "../../tsconfig.json", include: ["src"] }),
      "packages/c/tsconfig.json": '{ "extends": ["../../tsconfig.base.json", "../../tsconfig.json"], /* both */ }',
      // a base with problems: every config extending it reports them, as when each is read alone
      "packages/broken.json": '{ "compilerOptions": { "notAnOption": true, "target": "es2022" }, "include": ["src/**"] }',
      "packages/d/tsconfig.json": JSON.stringify({ extends: "../broken.json" }),
      "packages/e/jsconfig.json": JSON.stringify({ extends: "../broken.json", compilerOptions: { checkJs: true } }),
      // a base that does not parse, twice
      "apps/bad.json": '{ "compilerOptions": { "strict": true ',
      "apps/x/tsconfig.json": JSON.stringify({ extends: "../bad.json" }),
      "apps/y/tsconfig.json": JSON.stringify({ extends: ["../bad.json", "../../tsconfig.json"] }),
    });
  });
  afterAll(() => removeTree(root));

  it("gives each config the options and problems it has read alone", () => {
    const together = readTsconfigs(root, configs);
    const alone = configs.map((config) => readTsconfigs(root, [config]));
    configs.forEach((config, i) => {
      const file = path.posix.join(path.posix.dirname(config), "src/x.ts");
      expect(shape(together.optionsFor(file)), config).toEqual(shape(alone[i]!.optionsFor(file)));
    });
    expect(together.notifications).toEqual(alone.flatMap((a) => a.notifications));
    expect(together.outDirs).toEqual([...new Set(alone.flatMap((a) => a.outDirs))].sort());
    // what the tree holds: options from two levels of bases, and each broken base reported by both its configs
    expect(together.optionsFor("packages/a/src/x.ts")).toMatchObject({ strict: true, noImplicitAny: true, paths: { "@acme/*": ["packages/*/src"] } });
    expect(together.outDirs).toEqual(["dist", "packages/a/lib"]);
    expect(together.notifications.map((n) => n.location?.file)).toEqual([
      "packages/d/tsconfig.json",
      "packages/e/jsconfig.json",
      "apps/x/tsconfig.json",
      "apps/y/tsconfig.json",
    ]);
  });
});
