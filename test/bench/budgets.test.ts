import { describe, expect, it } from "vitest";
import { evaluateBudgets, median, type SideResult, type TargetResult } from "../../bench/budgets.js";
import { renderTable } from "../../bench/table.js";

const side = (medianMs: number, medianRssMb: number): SideResult => ({
  runs: 3,
  ok: 3,
  wallMs: [medianMs],
  medianMs,
  medianRssMb,
  failures: [],
});

const target = (name: string, full: SideResult, tsc: SideResult, update?: SideResult): TargetResult => ({
  name,
  lines: 50_000,
  files: 100,
  flowgate: full,
  tsc,
  update,
  updateNote: update ? undefined : "n/a (update scan not available)",
});

describe("bench budgets", () => {
  it("takes the median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("judges each budget from the medians, and says n/a when a column is missing", () => {
    const results = [
      target("generated 50k", side(1_000, 100), side(4_000, 400), side(200, 90)),
      target("generated 200k", side(3_000, 300), side(4_000, 400)),
      target("generated 500k", side(12_000, 900), side(30_000, 1_000)),
    ];
    const budgets = evaluateBudgets(results);
    const find = (budget: string, name: string) => budgets.find((b) => b.budget.startsWith(budget) && b.target === name);
    expect(find("full scan / tsc --noEmit", "generated 50k")?.status).toBe("met");
    expect(find("full scan / tsc --noEmit", "generated 200k")?.status).toBe("not met");
    expect(find("full scan / tsc peak RSS", "generated 500k")?.status).toBe("not met");
    expect(find("scaling", "generated 500k")?.status).toBe("not met");
    expect(find("update scan", "generated 50k")?.status).toBe("met");
    expect(find("update scan", "generated 200k")).toMatchObject({ status: "n/a", measured: "n/a (update scan not available)" });
    expect(renderTable(results, budgets)).toContain("| generated 50k | 50,000 | 100 | 1.00 s | 4.00 s | 0.25 |");
  });
});
