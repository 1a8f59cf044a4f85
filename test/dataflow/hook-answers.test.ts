import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { answerTest, decideTest, methodAnswers, type AnswerKind } from "../../src/dataflow/hook-answers.js";

function method(text: string): ts.MethodDeclaration {
  const file = ts.createSourceFile("m.ts", `class C { ${text} }`, ts.ScriptTarget.Latest, true);
  return (file.statements[0] as ts.ClassDeclaration).members[0] as ts.MethodDeclaration;
}

function condition(text: string): ts.Expression {
  const file = ts.createSourceFile("c.ts", `(${text});`, ts.ScriptTarget.Latest, true);
  return (file.statements[0] as ts.ExpressionStatement).expression;
}

const answers = (text: string, awaited = true) => {
  const found = methodAnswers(method(text), awaited);
  return found && [...found].sort();
};
const decide = (text: string, kinds: AnswerKind[]) => {
  const test = answerTest(condition(text));
  return test && decideTest(test, new Set(kinds));
};

describe("what a hook may answer, from its returns", () => {
  it("reads object literals, nothing and the end of the body", () => {
    expect(answers("async beforeSend(p) { return { url: p.id }; }")).toEqual(["object"]);
    expect(answers("async beforeSend(p) { if (p.x) return { a: 1 }; return [p]; }")).toEqual(["object"]);
    expect(answers("beforeSend(p) { if (p.x) return null; }", false)).toEqual(["null", "undefined"]);
    expect(answers("beforeSend(p) { return; }", false)).toEqual(["undefined"]);
  });

  it("says nothing when a return may be false or anything else", () => {
    expect(answers("async beforeSend(p) { if (!p.ok) return false; return {}; }")).toBeUndefined();
    expect(answers("async beforeSend(p) { return this.load(p); }")).toBeUndefined();
    expect(answers("async beforeSend(p) { return await p; }")).toBeUndefined();
    expect(answers("*beforeSend(p) { yield p; }", false)).toBeUndefined();
  });

  it("leaves out the returns of functions nested in the body", () => {
    expect(answers("async beforeSend(p) { const f = () => { return false; }; return { f }; }")).toEqual(["object"]);
  });

  it("answers a promise where an async hook is not awaited", () => {
    expect(answers("async beforeSend(p) { return false; }", false)).toEqual(["object"]);
  });
});

describe("a condition decided by the answers", () => {
  it("decides a strict comparison with false for any answer", () => {
    expect(decide("extra === false", ["undefined"])).toBe("falsy");
    expect(decide("extra !== false", ["object"])).toBe("truthy");
    expect(decide("!(extra === false)", ["undefined", "object"])).toBe("truthy");
  });

  it("decides a loose comparison only for primitives: [] == false", () => {
    expect(decide("extra == false", ["undefined", "null"])).toBe("falsy");
    expect(decide("extra == false", ["object"])).toBeUndefined();
  });

  it("decides the truth of an answer only when every answer agrees", () => {
    expect(decide("extra", ["undefined"])).toBe("falsy");
    expect(decide("!extra", ["undefined", "null"])).toBe("truthy");
    expect(decide("extra", ["object", "true"])).toBe("truthy");
    expect(decide("extra", ["object", "undefined"])).toBeUndefined();
  });

  it("decides nothing for a call that cannot answer", () => {
    expect(decide("extra === false", [])).toBeUndefined();
  });
});
