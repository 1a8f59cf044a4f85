import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { parseSource } from "../../src/workspace/program.js";

// parseSource sets parent pointers with its own walk (src/workspace/parent-pointers.ts) instead of the parser's pass:
// every node the parser's pass reaches — children, JSDoc comments and the nodes inside them — must get the parent the
// parser gives it, in TypeScript and in JavaScript, where JSDoc carries types.

const TS_SOURCE = `/** The account. @restricted phone */
export class Account {
  /** @restricted email */
  email = "";
  constructor(private readonly phone: string) {}
  /** Sends it. */
  @logged() async send(@inject() to: string, ...rest: number[]): Promise<void> {
    for (const [k, v] of Object.entries({ a: 1, ...this })) console.log(\`\${k}=\${v}\`, to ?? rest[0]!);
    label: while (true) { break label; }
  }
}
type Pair<T> = { [K in keyof T]?: T[K] extends string ? T[K] : never } | [a: string, b?: number];
export default (x = 1 + 2 * 3 - -4) => <const T,>(y: T) => x satisfies number;
enum E { A = 1, B = A << 2 }
namespace N { export import X = E; }
/** trailing */
`;

const JS_SOURCE = `// @ts-check
/** @typedef {{ id: string, phone: string }} User */
/**
 * @param {User} user the user
 * @param {(x: number) => string} [format]
 * @returns {Promise<void>}
 */
async function notify(user, format) {
  /** @type {import("./client").Client} */
  const client = require("./client");
  await client.post(user.phone, format?.(1));
}
module.exports = { notify };
`;

const TSX_SOURCE = `export const View = ({ user }: { user: { name: string } }) => <div title={user.name}>{/* c */}<b>{user.name}</b></div>;\n`;

/** Every node the parser's pass reaches, with its JSDoc, in parallel in both parses; each pair's parents must pair. */
function compareParents(fileName: string, text: string): number {
  const theirs = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const ours = parseSource(fileName, text);
  const pairs = new Map<ts.Node, ts.Node>([[theirs, ours]]);
  const pending: [ts.Node, ts.Node][] = [[theirs, ours]];
  const childrenOf = (n: ts.Node): ts.Node[] => {
    const out: ts.Node[] = [];
    ts.forEachChild(n, (c) => {
      out.push(c);
    });
    return [...out, ...((n as { jsDoc?: ts.Node[] }).jsDoc ?? [])];
  };
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [a, b] = next;
    const ca = childrenOf(a);
    const cb = childrenOf(b);
    expect(cb.map((n) => n.kind)).toEqual(ca.map((n) => n.kind));
    ca.forEach((c, i) => {
      pairs.set(c, cb[i]!);
      pending.push([c, cb[i]!]);
    });
  }
  for (const [a, b] of pairs) {
    expect(b.parent).toBe(a.parent === undefined ? undefined : pairs.get(a.parent));
  }
  return pairs.size;
}

describe("parent pointers", () => {
  it("are the parser's own in TypeScript, with decorators, JSDoc and nested types", () => {
    expect(compareParents("/p/account.ts", TS_SOURCE)).toBeGreaterThan(150);
  });

  it("are the parser's own in JavaScript, where JSDoc holds types", () => {
    const sf = parseSource("/p/notify.js", JS_SOURCE);
    // the JSDoc types are nodes with parents inside their comment, up to the function they document
    const fn = sf.statements.find(ts.isFunctionDeclaration)!;
    const param = ts.getJSDocParameterTags(fn.parameters[0]!)[0]!;
    expect(param.typeExpression!.parent).toBe(param);
    expect(param.parent.parent).toBe(fn);
    expect(compareParents("/p/notify.js", JS_SOURCE)).toBeGreaterThan(50);
  });

  it("are the parser's own in TSX", () => {
    expect(compareParents("/p/view.tsx", TSX_SOURCE)).toBeGreaterThan(20);
  });
});
