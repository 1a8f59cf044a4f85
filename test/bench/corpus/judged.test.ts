import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadCorpus } from "../../../bench/corpus/corpus-file.js";
import { DATA_CLASSES, EGRESS_KINDS, mergeJudged, validateJudged, type Judged, type JudgedLeak } from "../../../bench/corpus/judged.js";
import { REPO_ROOT } from "../../support/paths.js";

const NAMES = ["jackson", "outline"];
const leak: JudgedLeak = { file: "npm/src/event/webhook.ts", line: 27, class: "email-address", kind: "log", why: "the user's e-mail is logged on every webhook call" };
const negative = { file: "npm/src/event/webhook.ts", line: 40, why: "only the tenant id is logged here" };

describe("corpus judged flows: validation", () => {
  it("keeps well-formed judgements", () => {
    const { judged, rejected } = validateJudged({ entries: { jackson: { leaks: [leak], negatives: [negative] } } }, "a.json", NAMES);
    expect(rejected).toEqual([]);
    expect(judged.entries.jackson).toEqual({ leaks: [leak], negatives: [negative] });
  });

  it("rejects each malformed judgement with its place and reason, and keeps the rest", () => {
    const data = {
      entries: {
        jackson: {
          leaks: [
            leak,
            { ...leak, class: "email" },
            { ...leak, line: 0 },
            { ...leak, file: "../outside.ts" },
            { ...leak, file: "./npm/src/x.ts" },
            { file: leak.file, line: 3, class: "ip-address", why: "no kind given for this one" },
            { ...leak, column: 4 },
          ],
          negatives: [negative, { file: negative.file, line: "40", why: negative.why }],
        },
      },
    };
    const { judged, rejected } = validateJudged(data, "a.json", NAMES);
    expect(judged.entries.jackson?.leaks).toEqual([leak]);
    expect(judged.entries.jackson?.negatives).toEqual([negative]);
    expect(rejected.map((r) => r.where)).toEqual([
      "a.json: entries.jackson.leaks[1]",
      "a.json: entries.jackson.leaks[2]",
      "a.json: entries.jackson.leaks[3]",
      "a.json: entries.jackson.leaks[4]",
      "a.json: entries.jackson.leaks[5]",
      "a.json: entries.jackson.leaks[6]",
      "a.json: entries.jackson.negatives[1]",
    ]);
    expect(rejected[0]?.problem).toContain("`class` must be one of phone-number, ip-address, email-address");
    expect(rejected[1]?.problem).toContain("`line` must be >= 1");
    expect(rejected[2]?.problem).toContain("relative to the repository root");
    expect(rejected[4]?.problem).toContain("must have required property 'kind'");
    expect(rejected[5]?.problem).toBe("unknown key `column`");
    expect(rejected[6]?.problem).toContain("`line` must be integer");
  });

  it("rejects documents, entries and lists that are not in the format", () => {
    expect(validateJudged([leak], "a.json", NAMES).rejected[0]?.problem).toContain("not a judged document");
    const { rejected } = validateJudged({ entries: { nobody: { leaks: [] }, jackson: { leaks: {}, notes: [] } }, version: 1 }, "a.json", NAMES);
    expect(rejected).toEqual([
      { where: "a.json: version", problem: "unknown top-level key (only `entries`)" },
      { where: "a.json: entries.nobody", problem: "not a corpus entry (bench/corpus.json has jackson, outline)" },
      { where: "a.json: entries.jackson.notes", problem: "unknown key (only `leaks` and `negatives`)" },
      { where: "a.json: entries.jackson.leaks", problem: "expected a list" },
    ]);
  });

  it("offers exactly the recommended pack's data classes and the sink kinds", () => {
    const pack = parse(readFileSync(path.join(REPO_ROOT, "rules/packs/recommended.yaml"), "utf8")) as { dataClasses: { id: string }[] };
    expect([...DATA_CLASSES].sort()).toEqual(pack.dataClasses.map((c) => c.id).sort());
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, "rules/schema/flowgate.config.schema.json"), "utf8")) as object;
    expect(JSON.stringify(schema)).toContain(JSON.stringify([...EGRESS_KINDS]));
  });

  it("the committed bench/corpus-judged.json is valid and names only corpus entries", () => {
    const names = loadCorpus(path.join(REPO_ROOT, "bench/corpus.json")).entries.map((e) => e.name);
    const data: unknown = JSON.parse(readFileSync(path.join(REPO_ROOT, "bench/corpus-judged.json"), "utf8"));
    expect(validateJudged(data, "bench/corpus-judged.json", names).rejected).toEqual([]);
  });
});

describe("corpus judged flows: merging", () => {
  const base: Judged = { entries: { jackson: { leaks: [leak], negatives: [negative] } } };

  it("adds new judgements, keeps a repeated one once, and sorts by place", () => {
    const earlier: JudgedLeak = { ...leak, line: 5, why: "the phone number reaches the log line", class: "phone-number" };
    const addition: Judged = { entries: { jackson: { leaks: [leak, earlier], negatives: [] }, outline: { leaks: [], negatives: [negative] } } };
    const { judged, rejected } = mergeJudged(base, addition, "b.json");
    expect(rejected).toEqual([]);
    expect(judged.entries.jackson?.leaks).toEqual([earlier, leak]);
    expect(Object.keys(judged.entries)).toEqual(["jackson", "outline"]);
    expect(base.entries.jackson?.leaks).toEqual([leak]);
  });

  it("rejects a judgement that contradicts an accepted one", () => {
    const addition: Judged = {
      entries: { jackson: { leaks: [{ ...leak, line: negative.line }], negatives: [{ ...negative, line: leak.line }] } },
    };
    const { judged, rejected } = mergeJudged(base, addition, "b.json");
    expect(judged).toEqual(base);
    expect(rejected).toEqual([
      { where: `b.json: entries.jackson leak at ${leak.file}:40`, problem: "the same line is already judged a negative" },
      { where: `b.json: entries.jackson negative at ${leak.file}:27`, problem: "the same line is already judged a leak" },
    ]);
  });
});
