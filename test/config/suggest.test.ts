import { describe, expect, it } from "vitest";
import { suggestClosest } from "../../src/config/suggest.js";

describe("suggestClosest", () => {
  const keys = ["extends", "dataClasses", "sinks", "sanitizers", "vetted", "include", "exclude"];

  it("suggests for typos, case slips and truncations", () => {
    expect(suggestClosest("extend", keys)).toBe("extends");
    expect(suggestClosest("dataclasses", keys)).toBe("dataClasses");
    expect(suggestClosest("data", keys)).toBe("dataClasses");
    expect(suggestClosest("snks", keys)).toBe("sinks");
    expect(suggestClosest("sanitisers", keys)).toBe("sanitizers");
    expect(suggestClosest("includes", keys)).toBe("include");
  });

  it("stays silent when nothing is plausibly meant", () => {
    expect(suggestClosest("telemetryEndpoint", keys)).toBeUndefined();
    expect(suggestClosest("x", keys)).toBeUndefined();
    expect(suggestClosest("a", [])).toBeUndefined();
  });
});
