import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/workspace/program.js";
import { functionsOf } from "../../src/dataflow/function-list.js";

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
