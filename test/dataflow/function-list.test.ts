import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/workspace/program.js";
import { COMPUTED_PROPERTY, GLOBAL, REF, TYPE, functionsOf, propertiesOf } from "../../src/dataflow/function-list.js";
import { PropertyNames } from "../../src/dataflow/property-names.js";
import type { FileRef } from "../../src/dataflow/trace.js";

// The engine lists each file's functions once per parse: an update review's base shares the head's parse of every
// unchanged file, and its analysis must not walk them again (src/dataflow/function-list.ts).

const SOURCE = `export function send(user: { phone: string }) {
  const format = (p: string) => p.trim();
  return [user.phone].map(function inner(x) { return format(x); });
}
declare function declaredOnly(x: string): void;
export class Mailer {
  constructor(private readonly to: string) {}
  get address() { return this.to; }
  abstract?(): void;
  async deliver() { await Promise.all([1].map(async (n) => n)); }
}
`;

describe("functionsOf", () => {
  it("lists every function with a body, in source order", () => {
    const sf = parseSource("/project/src/mailer.ts", SOURCE);
    const names = functionsOf(sf).map((fn) => fn.getText(sf).slice(0, 24));
    expect(names).toEqual([
      "export function send(use",
      "(p: string) => p.trim()",
      "function inner(x) { retu",
      "constructor(private read",
      "get address() { return t",
      "async deliver() { await ",
      "async (n) => n",
    ]);
  });

  it("walks a parse once: the same list for the same SourceFile, a new one for another parse of the same text", () => {
    const sf = parseSource("/project/src/mailer.ts", SOURCE);
    const first = functionsOf(sf);
    expect(functionsOf(sf)).toBe(first);
    const again = parseSource("/project/src/mailer.ts", SOURCE);
    const other = functionsOf(again);
    expect(other).not.toBe(first);
    expect(other.map((fn) => fn.pos)).toEqual(first.map((fn) => fn.pos));
    expect(other.every((fn) => fn.getSourceFile() === again)).toBe(true);
  });
});

// The names a file declares as properties: the engine asks the checker whether a called member is a property only for
// these names (src/dataflow/interpret/calls.ts heldInProperty), so each kind of property declaration must be listed.
describe("propertiesOf", () => {
  it("lists property signatures, property declarations and parameter properties, not methods or object literals' keys", () => {
    const sf = parseSource(
      "/project/src/options.ts",
      `interface Options extends Base { next: () => void; "quoted": typeof f; 7: typeof f; [key: string]: unknown; ["literal"]: typeof f; method(): void }
export function use(opts: { pack: (m: unknown) => Buffer; nested: { deeper: typeof f; (): void } }) { return { notDeclared: opts }; }
export class Relay {
  #secret = 1;
  static shared: typeof f;
  encode = (x: unknown) => x;
  constructor(private readonly send: () => void, plain: string, public readonly done = false) {}
  relay() {}
}
`,
    );
    expect([...propertiesOf(sf)].filter((n) => !n.startsWith(TYPE)).sort()).toEqual(["#secret", "7", "deeper", "done", "encode", "literal", "nested", "next", "pack", "quoted", "send", "shared"]);
  });

  // growthbook declares `optional: boolean`, `min: number` and `strict: boolean` beside zod's `z.string().optional()`,
  // `.min(1)`, `.strict()`: 6,540 of its 23,206 checker questions on a called member were for such names
  it("leaves out a property whose declared type no call can run: a primitive, a literal, an array, a plain object type", () => {
    const sf = parseSource(
      "/project/src/settings.ts",
      `export interface Settings {
  optional: boolean; min?: number; label: string | null; mode: "a" | "b"; tags: string[]; pair: [number, string];
  path: \`/\${string}\`; extra: object; nested: { deeper: string }; big: bigint | undefined; off: (void);
  handler: Handler; run: () => void; either: string | (() => void); both: Base & { (): void }; callable: { (): void };
  query: typeof fetch; loose: any; shape: Settings["handler"]; later: Promise<string> | null;
}
export class Holder { field = 1; typed!: number; constructor(private readonly count: number, public fn: () => void) {} }
`,
    );
    const listed = propertiesOf(sf);
    expect(listed.filter((n) => !n.startsWith(TYPE) && !n.includes(REF)).sort()).toEqual(["both", "callable", "either", "field", "fn", "loose", "query", "run", "shape"]);
    // a type named by a plain name is resolved over all the files (property-names.ts): listed with the names
    expect(listed.filter((n) => n.includes(REF) && !n.startsWith(TYPE)).sort()).toEqual([`handler${REF}${GLOBAL}Handler`, `later${REF}${GLOBAL}Promise`]);
  });

  // growthbook's `map: ConstantValueMap` (an alias of `Map<…>`), `map?: QueryMap`: 7,945 more of its questions, none true
  it("resolves the type names a property is declared with over the scanned files: aliases, interfaces, classes, enums, the lib's plain generics", () => {
    const names = new PropertyNames();
    const add = (path: string, text: string) => names.add({ path } as unknown as FileRef, propertiesOf(parseSource(path, text)));
    add("/project/src/types.ts", `export type Handler = () => void;
export type QueryMap = Map<string, { id: string }>;
export interface Plain { a: string }
export interface Extended extends Plain { b: string }
export type Alias = Plain | QueryMap | Partial<Record<string, Handler>>;
export class Box { run() {} }
export enum Level { Low }
export type Loop = Other; export type Other = Loop | string;
export type Later = Handler | undefined;
`);
    add("/project/src/uses.ts", `import type { Job } from "bull";
import type { Local } from "./local";
import type { QueryMap, Alias, Box, Level, Plain, Handler, Later, Extended, Loop } from "./types";
export interface Uses<T> {
  map: QueryMap; alias: Alias; box: Box; level: Level; lib: Record<string, Handler>; plain: Plain; local: Local;
  run: Handler; later: Later; extended: Extended; job: Job; generic: T; missing: Missing; loop: Loop; both: Plain | Handler;
}
`);
    // a name the file imports from a package, or its own type parameter, is not the project's type of that name
    add("/project/src/shadowed.ts", `import type { Record, Plain as Imported } from "immutable";
export interface Shadowed<Plain> { imported: Record<string, number>; renamed: Imported; parameter: Plain }
`);
    const asked = ["map", "alias", "box", "level", "lib", "plain", "local", "run", "later", "extended", "job", "generic", "missing", "loop", "both", "imported", "renamed", "parameter"];
    const mayHold = asked.filter((n) => names.mayDeclare(n, () => { throw new Error("no checker"); }));
    expect(mayHold).toEqual(["local", "run", "later", "extended", "job", "generic", "missing", "loop", "both", "imported", "renamed", "parameter"]);
  });

  // a name resolved by name must be the one the reference names: what a file neither declares nor imports is the
  // global scope's, and a project module's import may be a package's type the module re-exports
  it("resolves a reference in its scope: a global name to the global declarations, an import from a project module to the project's or a package's", () => {
    const names = new PropertyNames();
    const add = (path: string, text: string) => names.add({ path } as unknown as FileRef, propertiesOf(parseSource(path, text)));
    add("/project/src/shapes.ts", `export interface VoidFunction { id: string }
export type Listener = { id: string };
export type Job = { id: string };
export type Record = { id: string };
`);
    add("/project/src/globals.d.ts", `interface Callback { id: string }
type Tick = Callback;
declare namespace Hooks { type Record = () => void; interface Table { run: Record } }
`);
    add("/project/src/augment.ts", `export {};
declare global { interface Hook { id: string } }
`);
    add("/project/src/reexports.ts", `export { Job } from "bull";
import type { Listener } from "events-lib";
export type { Listener };
`);
    add("/project/src/uses.ts", `import type { Job, Listener } from "./reexports";
import type { Record as Row } from "./rows";
export interface Uses {
  lib: VoidFunction; callback: Callback; tick: Tick; hook: Hook; job: Job; listener: Listener; row: Row; date: Date; spread: Record<string, number>;
}
`);
    // a script's namespace declares a Record of its own: `run` is that, not the lib's
    const asked = ["lib", "callback", "tick", "hook", "job", "listener", "row", "date", "spread", "run"];
    const ask = (n: PropertyNames) => asked.filter((name) => n.mayDeclare(name, () => { throw new Error("no checker"); }));
    // VoidFunction is the lib's (callable), not the module's interface of the name; Callback, Tick and Hook are the
    // project's globals; Job and Listener are the packages' types a project module re-exports; Row, imported from a
    // module no file declares it in, is not the lib's Record; Date and Record (not imported) are the lib's
    expect(ask(names)).toEqual(["lib", "job", "listener", "row", "run"]);
    // a module that re-exports all of a package: a name imported from a project module may be its type
    const starred = new PropertyNames();
    const addTo = (path: string, text: string) => starred.add({ path } as unknown as FileRef, propertiesOf(parseSource(path, text)));
    addTo("/project/src/types.ts", `export type Plain = { id: string };
`);
    addTo("/project/src/index.ts", `export * from "events-lib";
`);
    addTo("/project/src/uses.ts", `import type { Plain } from "./index";
import type { Plain as Own } from "./types";
export interface Uses { plain: Plain }
interface Mine { own: Own; local: Local }
type Local = { id: string };
`);
    expect(["plain", "own", "local"].filter((name) => starred.mayDeclare(name, () => { throw new Error("no checker"); }))).toEqual(["plain", "own"]);
  });

  it("lists a computed name of no literal as any name: only the checker knows it", () => {
    const sf = parseSource("/project/src/keys.ts", `const KEY = "proceed";
export interface Options { [KEY]: () => void }
`);
    expect(propertiesOf(sf).filter((n) => !n.startsWith(TYPE))).toEqual([COMPUTED_PROPERTY]);
  });

  it("reads a JavaScript file's JSDoc type literals, which declare properties to the checker too", () => {
    const sf = parseSource("/project/src/handler.js", `/** @param {{ proceed: Function }} opts */
export function handle(opts) { return opts.proceed(); }
`, true);
    // `Function` is resolved by name over the scanned files: declared by none, it may be a function
    expect(propertiesOf(sf)).toEqual([`proceed${REF}${GLOBAL}Function`]);
  });
});
