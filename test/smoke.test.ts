import { describe, expect, it } from "vitest";
import { scan } from "../src/index.js";
import { FIXTURES_DIR } from "./support/paths.js";

describe("scan()", () => {
  it("runs the pipeline over a directory and returns a result rooted there", async () => {
    const result = await scan({ root: FIXTURES_DIR });
    expect(result.root).toBe(FIXTURES_DIR);
    expect(Array.isArray(result.findings)).toBe(true);
  });
});
