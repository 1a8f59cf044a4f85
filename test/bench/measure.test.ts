import { describe, expect, it } from "vitest";
import { parseUsage } from "../../bench/measure.js";

describe("child usage", () => {
  it("reads peak RSS and user + system CPU from GNU time's line, also after its failure notice", () => {
    expect(parseUsage("usage 204800 1.25 0.50\n")).toEqual({ maxRssKb: 204800, cpuMs: 1750 });
    expect(parseUsage("Command exited with non-zero status 2\nusage 1024 0.01 0.00\n")).toEqual({ maxRssKb: 1024, cpuMs: 10 });
  });

  it("reports nothing rather than a wrong number when the child died before writing it", () => {
    expect(parseUsage("")).toEqual({ maxRssKb: undefined, cpuMs: undefined });
    expect(parseUsage("Command terminated by signal 9\n")).toEqual({ maxRssKb: undefined, cpuMs: undefined });
  });
});
