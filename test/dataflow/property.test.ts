import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeFiles } from "../support/engine-harness.js";

// Random straight-line programs (with optional branches) of assignments and calls over a few variables, checked against
// a direct simulation: a tainted value is found at the sink exactly when it can reach it.

const VARS = 4;

type Stmt =
  | { kind: "source"; to: number }
  | { kind: "const"; to: number }
  | { kind: "copy"; to: number; from: number }
  | { kind: "concat"; to: number; a: number; b: number }
  | { kind: "identity"; to: number; from: number }
  | { kind: "drop"; to: number; from: number }
  | { kind: "field"; to: number; from: number }
  | { kind: "otherField"; to: number; from: number }
  | { kind: "wrapUnwrap"; to: number; from: number }
  | { kind: "send"; from: number }
  | { kind: "branch"; body: Stmt[] };

const v = fc.integer({ min: 0, max: VARS - 1 });
const simple: fc.Arbitrary<Stmt> = fc.oneof(
  v.map((to) => ({ kind: "source" as const, to })),
  v.map((to) => ({ kind: "const" as const, to })),
  fc.record({ to: v, from: v }).map((r) => ({ kind: "copy" as const, ...r })),
  fc.record({ to: v, a: v, b: v }).map((r) => ({ kind: "concat" as const, ...r })),
  fc.record({ to: v, from: v }).map((r) => ({ kind: "identity" as const, ...r })),
  fc.record({ to: v, from: v }).map((r) => ({ kind: "drop" as const, ...r })),
  fc.record({ to: v, from: v }).map((r) => ({ kind: "field" as const, ...r })),
  fc.record({ to: v, from: v }).map((r) => ({ kind: "otherField" as const, ...r })),
  fc.record({ to: v, from: v }).map((r) => ({ kind: "wrapUnwrap" as const, ...r })),
  v.map((from) => ({ kind: "send" as const, from })),
);
const stmt: fc.Arbitrary<Stmt> = fc.oneof(
  { weight: 5, arbitrary: simple },
  { weight: 1, arbitrary: fc.array(simple, { minLength: 1, maxLength: 3 }).map((body) => ({ kind: "branch" as const, body })) },
);

function render(s: Stmt): string {
  const x = (i: number) => `v${i}`;
  switch (s.kind) {
    case "source":
      return `${x(s.to)} = user.phone;`;
    case "const":
      return `${x(s.to)} = "k";`;
    case "copy":
      return `${x(s.to)} = ${x(s.from)};`;
    case "concat":
      return `${x(s.to)} = ${x(s.a)} + "-" + ${x(s.b)};`;
    case "identity":
      return `${x(s.to)} = identity(${x(s.from)});`;
    case "drop":
      return `${x(s.to)} = drop(${x(s.from)});`;
    case "field":
      return `${x(s.to)} = { a: ${x(s.from)}, b: "k" }.a;`;
    case "otherField":
      return `${x(s.to)} = { a: ${x(s.from)}, b: "k" }.b;`;
    case "wrapUnwrap":
      return `${x(s.to)} = wrap(${x(s.from)}).inner;`;
    case "send":
      return `send(${x(s.from)});`;
    case "branch":
      return `if (c) { ${s.body.map(render).join(" ")} }`;
  }
}

/** May-taint of each variable, and whether a tainted value was sent. */
function simulate(stmts: Stmt[], taint: boolean[], sent: { value: boolean }): boolean[] {
  let t = [...taint];
  for (const s of stmts) {
    switch (s.kind) {
      case "source":
        t[s.to] = true;
        break;
      case "const":
      case "drop":
      case "otherField":
        t[s.to] = false;
        break;
      case "copy":
      case "identity":
      case "field":
      case "wrapUnwrap":
        t[s.to] = t[s.from]!;
        break;
      case "concat":
        t[s.to] = t[s.a]! || t[s.b]!;
        break;
      case "send":
        if (t[s.from]) sent.value = true;
        break;
      case "branch": {
        const inner = simulate(s.body, t, sent);
        t = t.map((b, i) => b || inner[i]!);
        break;
      }
    }
  }
  return t;
}

function program(stmts: Stmt[], last: number): string {
  return `
function identity(x: string) { return x; }
function drop(_x: string) { return "k"; }
function wrap(x: string) { return { inner: x, other: "k" }; }
function send(x: string) {
  console.log(x);
}
export function main(user: { phone: string }, c: boolean) {
  let v0 = "", v1 = "", v2 = "", v3 = "";
  ${stmts.map(render).join("\n  ")}
  console.log(v${last});
}
`;
}

describe("property: taint reaches the sink exactly when it can", () => {
  it("random chains of assignments, calls and branches", () => {
    fc.assert(
      fc.property(fc.array(stmt, { minLength: 1, maxLength: 12 }), v, (stmts, last) => {
        const sent = { value: false };
        const finalTaint = simulate(stmts, Array(VARS).fill(false), sent);
        const r = analyzeFiles({ "src/p.ts": program(stmts, last) });
        const lines = r.flows.map((f) => f.sink.location.startLine);
        // line 6 is console.log inside send(); the last console.log is the second line from the end
        const mainSinkLine = program(stmts, last).split("\n").length - 2;
        expect(lines.includes(mainSinkLine)).toBe(finalTaint[last]);
        expect(lines.includes(6)).toBe(sent.value);
      }),
      { numRuns: 60, seed: 4242 },
    );
  });
});
