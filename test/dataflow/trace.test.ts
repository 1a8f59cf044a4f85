import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { flatTable, GraphDecoder, GraphEncoder, nodeLookup } from "../../src/cache/graph-codec.js";
import { addStep, concatTrace, materialize, splicedParts, stepsOf, type FileRef, type Step } from "../../src/dataflow/trace.js";

const sf = ts.createSourceFile("a.ts", "a; b; c; d; e; f;", ts.ScriptTarget.ES2022, true);
const file: FileRef = { path: "a.ts", sourceFile: sf };
const [a, b, c, d, e, f] = sf.statements;

/** A plain trace of these statements, oldest first. */
function trace(nodes: ts.Node[], message: string): Step | undefined {
  let s: Step | undefined;
  for (const n of nodes) s = addStep(s, n, file, `${message} ${n.getText(sf)}`, "step", n === b ? "p:a.ts:1" : undefined);
  return s;
}

const messages = (s: Step | undefined) => stepsOf(s).map((x) => x.message);

describe("a spliced trace", () => {
  // a callee's trace spliced after its caller's (the inner call site), then that after the outer caller's
  const outer = trace([a!, b!], "outer");
  const inner = trace([c!, d!], "inner");
  const callee = trace([e!, f!], "callee");

  it("reads as the prefix's steps and then the suffix's, with the suffix's last step's place, message and entry", () => {
    const spliced = concatTrace(outer, concatTrace(inner, callee));
    expect(messages(spliced)).toEqual(["outer a;", "outer b;", "inner c;", "inner d;", "callee e;", "callee f;"]);
    expect(spliced!.length).toBe(6);
    expect(spliced!.node).toBe(f);
    expect(spliced!.file).toBe(file);
    expect(spliced!.role).toBe("step");
    expect(stepsOf(spliced).map((s) => s.enters)).toEqual([undefined, "p:a.ts:1", undefined, undefined, undefined, undefined]);
    expect(materialize(spliced)).toEqual(materialize(trace([a!, b!], "outer")).concat(materialize(trace([c!, d!], "inner")), materialize(trace([e!, f!], "callee"))));
  });

  it("leaves a spliced suffix unspliced: appending a callee's spliced trace copies none of it", () => {
    // the callee's trace was itself spliced at its own call site (a callee of a callee), and nothing walked it since
    const calleeSide = concatTrace(inner, callee)!;
    const before = splicedParts(calleeSide);
    expect(before).toEqual({ spliced: false, before: inner, last: callee });
    const atCaller = concatTrace(outer, calleeSide)!;
    // made without reading the suffix's predecessors: the suffix is as it was, and the new step holds it as it is
    expect(splicedParts(calleeSide)).toEqual(before);
    expect(splicedParts(atCaller)).toEqual({ spliced: false, before: outer, last: calleeSide });
    expect(atCaller.length).toBe(6);
    // walking back splices each step once, on demand
    expect(messages(atCaller)).toEqual(["outer a;", "outer b;", "inner c;", "inner d;", "callee e;", "callee f;"]);
    expect(splicedParts(atCaller)!.spliced).toBe(true);
    expect(atCaller.prev).toBe(atCaller.prev);
  });

  it("is written to an entry and read back as the same steps, spliced or not", () => {
    const unspliced = concatTrace(outer, concatTrace(inner, callee))!;
    const walked = concatTrace(outer, concatTrace(inner, callee))!;
    stepsOf(walked);
    const encoder = new GraphEncoder({ indexOf: (s) => (s === sf ? 0 : undefined) });
    const refs = [encoder.ref(unspliced), encoder.ref(walked)];
    const entries = JSON.parse(JSON.stringify(flatTable(encoder.entries))) as ReturnType<typeof flatTable>;
    const decoder = new GraphDecoder(entries, nodeLookup([{ path: "a.ts", sourceFile: sf }]));
    for (const [i, ref] of refs.entries()) {
      const back = decoder.get(ref).value as Step;
      expect(back.length).toBe(6);
      expect(materialize(back)).toEqual(materialize(i === 0 ? unspliced : walked));
    }
  });
});
