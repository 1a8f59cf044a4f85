import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { comparePaths, filesOf, otherPaths } from "../../src/dataflow/other-paths.js";
import { addStep, concatTrace, materialize, stepsOf, type FileRef, type Step } from "../../src/dataflow/trace.js";

// three files' statements: a caller in each of routes.ts and jobs.ts, a wrapper around a door in client.ts
const files = new Map(
  ["routes.ts", "jobs.ts", "client.ts"].map((name) => {
    const sourceFile = ts.createSourceFile(name, "a; b; c; d;", ts.ScriptTarget.ES2022, true);
    return [name, { path: name, sourceFile } satisfies FileRef];
  }),
);

/** A plain trace through `places` (`file:statement index`), oldest first. */
function trace(...places: string[]): Step | undefined {
  let s: Step | undefined;
  for (const place of places) {
    const [name, index] = place.split(":");
    const file = files.get(name!)!;
    s = addStep(s, file.sourceFile.statements[Number(index)]!, file, `at ${place}`);
  }
  return s;
}

/** What a reviewer sees of a path: its places, oldest first. */
const places = (s: Step | undefined) => materialize(s).map((x) => `${x.location.file}:${x.location.startColumn}`);

describe("the other paths' choice over spliced traces", () => {
  // the wrapper's own trace, which every caller's summary substitution appends to its own prefix (one object, shared)
  const wrapper = () => trace("client.ts:2", "client.ts:3");

  it("tells two paths apart that share the callee's part but not the callers' (a tie is walked to the end)", () => {
    const shared = wrapper();
    const routes = trace("routes.ts:0", "routes.ts:1");
    const jobs = trace("jobs.ts:0", "jobs.ts:1");
    // unspliced, as a summary's substitution leaves them: the shared part comes first from the sink back
    const fromRoutes = concatTrace(routes, shared);
    const fromJobs = concatTrace(jobs, shared);
    expect(fromRoutes!.length).toBe(fromJobs!.length);
    const order = comparePaths(fromRoutes, fromJobs);
    const reverse = comparePaths(fromJobs, fromRoutes);
    // the same order as the paths' places read from the sink back (walking them splices them: read them last)
    const byPlaces = comparePlaces(fromRoutes, fromJobs);
    expect(byPlaces).not.toBe(0);
    expect(Math.sign(order)).toBe(byPlaces);
    expect(Math.sign(reverse)).toBe(-byPlaces);
  });

  it("finds a tie between paths that are the same steps, spliced or not", () => {
    const prefix = trace("routes.ts:0", "routes.ts:1");
    const shared = wrapper();
    expect(comparePaths(concatTrace(prefix, shared), concatTrace(prefix, shared))).toBe(0);
    const walked = concatTrace(prefix, shared);
    stepsOf(walked);
    expect(comparePaths(walked, concatTrace(prefix, shared))).toBe(0);
  });

  it("compares each pair afresh: a comparison decided inside a callee's part leaves nothing to the next", () => {
    // decided at the callees' parts, with both callers' parts still to walk (comparePaths reuses its two cursors)
    const first = comparePaths(concatTrace(trace("routes.ts:0", "routes.ts:1"), trace("client.ts:2")), concatTrace(trace("jobs.ts:0", "jobs.ts:1"), trace("client.ts:3")));
    expect(first).not.toBe(0);
    // two paths of the same steps (different objects): a tie
    expect(comparePaths(trace("client.ts:0"), trace("client.ts:0"))).toBe(0);
    expect(comparePaths(trace("client.ts:0", "client.ts:1"), trace("client.ts:0", "client.ts:1"))).toBe(0);
  });

  it("gives the files of a spliced path as its steps go through them, with a callee's part shared by several", () => {
    const shared = concatTrace(trace("jobs.ts:2"), wrapper());
    const fromRoutes = concatTrace(trace("routes.ts:0"), shared);
    const plain = trace("routes.ts:0");
    expect([...filesOf(fromRoutes)].sort()).toEqual(["client.ts", "jobs.ts", "routes.ts"]);
    expect([...filesOf(shared)].sort()).toEqual(["client.ts", "jobs.ts"]);
    expect([...filesOf(plain)]).toEqual(["routes.ts"]);
    // walked (spliced) after the files were read: the same files
    stepsOf(fromRoutes);
    expect([...filesOf(fromRoutes)].sort()).toEqual(["client.ts", "jobs.ts", "routes.ts"]);
  });

  it("keeps another path only where it goes through a file the shown path and the shorter others do not", () => {
    const shared = wrapper();
    const shown = concatTrace(trace("routes.ts:0"), shared);
    const sameFiles = concatTrace(trace("routes.ts:1", "routes.ts:2"), shared);
    const viaJobs = concatTrace(trace("jobs.ts:0", "jobs.ts:1"), shared);
    const viaJobsLonger = concatTrace(trace("jobs.ts:0", "jobs.ts:1", "jobs.ts:2"), shared);
    const chosen = otherPaths(shown, [viaJobsLonger, sameFiles, viaJobs], (s) => s);
    expect(chosen.map(places)).toEqual([places(viaJobs)]);
  });
});

/** The order of two paths of one length by their places from the sink back, read from their materialized steps. */
function comparePlaces(a: Step | undefined, b: Step | undefined): number {
  const xs = stepsOf(a).reverse();
  const ys = stepsOf(b).reverse();
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    const c = x.file.path < y.file.path ? -1 : x.file.path > y.file.path ? 1 : x.node.pos - y.node.pos;
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}
