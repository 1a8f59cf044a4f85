import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Log } from "sarif";
import type { Finding } from "../../src/findings/finding.js";
import type { FlowStep } from "../../src/vocabulary/flow.js";
import { renderSarif } from "../../src/report/sarif.js";
import { scan } from "../../src/scan.js";
import { removeTree, writeTree } from "../support/temp-tree.js";
import { createRepo, type TestRepo } from "../diff/support/git-repo.js";

// One door inside a wrapper that several callers send the same data through (fixtures/engine/wrapper-callers: every
// addon posts through its base class's one `axios.post`, and one event carries the acting account's address to all of
// them). The flow is one result; each caller's way to the door is a path a reviewer must see.
const CASE = path.resolve(import.meta.dirname, "../../fixtures/engine/wrapper-callers");
// The same door, the event handed to the addons by a service that relays its parameter
// (fixtures/engine/relayed-wrapper-callers): inside the service the address is still symbolic, so each addon's way to
// the door is a path of the service's summary before it is one of a flow.
const RELAYED = path.resolve(import.meta.dirname, "../../fixtures/engine/relayed-wrapper-callers");

function caseTree(dir = CASE): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    tree[path.relative(dir, absolute).split(path.sep).join("/")] = readFileSync(absolute, "utf8");
  }
  return tree;
}

/** The addons each path of the door's flow goes through (the base class's file aside), shortest path first. */
function addonsOnPaths(finding: Finding | undefined): string[][] {
  const flow = finding?.flows?.[0];
  const addons = (steps: readonly FlowStep[]) => [...new Set(steps.map((s) => s.location.file))].filter((f) => f.startsWith("src/addons/") && f !== "src/addons/addon.ts");
  return flow ? [flow.steps, ...(flow.otherPaths ?? [])].map(addons) : [];
}

describe("other paths of a flow to a door inside a wrapper", () => {
  it("shows the shortest path and, beside it, each other caller's path — one result, three code flows", async () => {
    const result = await scan({ root: CASE });
    const leaks = result.findings.filter((f) => f.ruleId.startsWith("leak-to-"));
    expect(leaks).toHaveLength(1);
    expect(addonsOnPaths(leaks[0])).toEqual([["src/addons/webhook.ts"], ["src/addons/teams.ts"], ["src/addons/new-relic.ts"]]);
    const sarif = JSON.parse(renderSarif(result)) as Log;
    const flows = sarif.runs[0]!.results![0]!.codeFlows!;
    expect(flows.map((f) => f.message?.text)).toEqual([
      "Path of the e-mail address in `actor` to the sink.",
      "Another path of the e-mail address in `actor` to the sink, through `src/addons/teams.ts`.",
      "Another path of the e-mail address in `actor` to the sink, through `src/addons/new-relic.ts`.",
    ]);
    // each code flow runs from the source to the one door
    for (const flow of flows) {
      const steps = flow.threadFlows[0]!.locations!;
      expect(steps[0]!.location!.physicalLocation!.artifactLocation!.uri).toBe("src/events.ts");
      expect(steps.at(-1)!.location!.physicalLocation!.artifactLocation!.uri).toBe("src/addons/addon.ts");
    }
  });

  it("keeps each caller's path through a function the data enters as a parameter (a summary's other paths)", async () => {
    const result = await scan({ root: RELAYED });
    const leaks = result.findings.filter((f) => f.ruleId.startsWith("leak-to-"));
    expect(leaks).toHaveLength(1);
    expect(addonsOnPaths(leaks[0]).map((files) => files.filter((f) => f !== "src/addons/service.ts"))).toEqual([["src/addons/webhook.ts"], ["src/addons/teams.ts"]]);
  });

  it("leaves out a path whose destination is vetted: only unvetted ways out are shown", async () => {
    const tree = caseTree();
    tree["flowgate.config.yaml"] = `extends: recommended\nvetted:\n  hosts: ["*.enclave.eu.internal", "insights-collector.newrelic.com"]\n`;
    const root = writeTree(tree);
    try {
      const result = await scan({ root });
      expect(addonsOnPaths(result.findings.find((f) => f.ruleId.startsWith("leak-to-")))).toEqual([["src/addons/webhook.ts"], ["src/addons/teams.ts"]]);
    } finally {
      removeTree(root);
    }
  });
});

describe("update review of a door a new caller of its wrapper reaches", () => {
  let repo: TestRepo;
  beforeAll(() => {
    const base = caseTree();
    delete base["src/addons/teams.ts"];
    repo = createRepo(base);
    // the update adds an addon: the same account's address now also leaves through it, by the same door
    repo.branch("teams", { "src/addons/teams.ts": caseTree()["src/addons/teams.ts"]! });
    repo.branch("comment", { "src/events.ts": `// audit events\n${caseTree()["src/events.ts"]!}` });
  });
  afterAll(() => repo.remove());

  const review = async (branch: string) => {
    repo.git("checkout", "-q", branch);
    const result = await scan({ root: repo.dir, base: "main", newOnly: false });
    return result.findings.filter((f) => f.ruleId.startsWith("leak-to-")).map((f) => `${f.baselineState} ${f.location.file}:${f.location.startLine}`);
  };

  it("reports the door as updated: the new path is what the update lets out", async () => {
    expect(await review("teams")).toEqual(["updated src/addons/addon.ts:14"]);
  });

  it("leaves it unchanged when no path changed", async () => {
    expect(await review("comment")).toEqual(["unchanged src/addons/addon.ts:14"]);
  });
});

describe("update review of a door a new caller of its wrapper reaches behind a relaying function", () => {
  let repo: TestRepo;
  beforeAll(() => {
    const base = caseTree(RELAYED);
    delete base["src/addons/teams.ts"];
    repo = createRepo(base);
    // the new addon's path runs through the service's summary: the callers of the service must see it
    repo.branch("teams", { "src/addons/teams.ts": caseTree(RELAYED)["src/addons/teams.ts"]! });
  });
  afterAll(() => repo.remove());

  it("reports the door as updated, with and without the analysis cache", async () => {
    const cache = { dir: mkdtempSync(path.join(tmpdir(), "flowgate-other-paths-")) };
    try {
      // the default branch's run leaves its analysis in the cache; the pull request's review starts from it
      repo.git("checkout", "-q", "main");
      await scan({ root: repo.dir, cache });
      repo.git("checkout", "-q", "teams");
      for (const options of [{}, { cache: { ...cache, readOnly: true } }]) {
        const result = await scan({ root: repo.dir, base: "main", newOnly: false, ...options });
        const leaks = result.findings.filter((f) => f.ruleId.startsWith("leak-to-"));
        expect(leaks.map((f) => `${f.baselineState} ${f.location.file}:${f.location.startLine}`)).toEqual(["updated src/addons/addon.ts:20"]);
      }
    } finally {
      rmSync(cache.dir, { recursive: true, force: true });
    }
  });
});
