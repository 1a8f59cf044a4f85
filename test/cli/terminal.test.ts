import { describe, expect, it } from "vitest";
import { createProgressLine } from "../../src/cli/progress.js";
import { wantsColor, wantsProgress } from "../../src/cli/terminal.js";

/** A stand-in for process.stdout/stderr: records writes, claims to be (or not be) a terminal. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { written: string } {
  const stream = {
    isTTY,
    columns: 60,
    written: "",
    write(chunk: string) {
      stream.written += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { written: string };
}

describe("wantsColor", () => {
  it("colours a terminal unless --no-color or NO_COLOR says otherwise", () => {
    expect(wantsColor(true, true, fakeStream(true), {})).toBe(true);
    expect(wantsColor(false, true, fakeStream(true), {})).toBe(false);
    expect(wantsColor(true, true, fakeStream(true), { NO_COLOR: "1" })).toBe(false);
    expect(wantsColor(true, true, fakeStream(true), { NO_COLOR: "" })).toBe(true);
  });

  it("never colours a pipe or an --output file", () => {
    expect(wantsColor(true, true, fakeStream(false), {})).toBe(false);
    expect(wantsColor(true, false, fakeStream(true), {})).toBe(false);
  });
});

describe("wantsProgress", () => {
  it("shows progress on an interactive terminal only", () => {
    expect(wantsProgress(fakeStream(true), false, {})).toBe(true);
    expect(wantsProgress(fakeStream(false), false, {})).toBe(false);
    expect(wantsProgress(fakeStream(true), true, {})).toBe(false);
    expect(wantsProgress(fakeStream(true), false, { CI: "true" })).toBe(false);
    expect(wantsProgress(fakeStream(true), false, { GITHUB_ACTIONS: "true" })).toBe(false);
    expect(wantsProgress(fakeStream(true), false, { CI: "false" })).toBe(true);
  });
});

describe("createProgressLine", () => {
  it("stays silent for the first second, then rewrites one line and erases it when done", () => {
    let now = 0;
    const stream = fakeStream(true);
    const line = createProgressLine({ stream, enabled: true, now: () => now });
    line.update({ phase: "loading", files: 12 });
    now = 500;
    line.update({ phase: "analysing", functionsAnalysed: 3 });
    expect(stream.written).toBe("");
    now = 1200;
    line.update({ phase: "analysing", functionsAnalysed: 40 });
    expect(stream.written).toBe("\rflowgate: 12 files loaded, 40 functions analysed\x1b[K");
    now = 1250; // redraws are throttled
    line.update({ phase: "analysing", functionsAnalysed: 41 });
    expect(stream.written).not.toContain("41");
    line.done();
    expect(stream.written.endsWith("\r\x1b[K")).toBe(true);
  });

  it("draws the whole line when the terminal reports no width", () => {
    let now = 0;
    const stream = Object.assign(fakeStream(true), { columns: 0 });
    const line = createProgressLine({ stream, enabled: true, now: () => now });
    now = 2000;
    line.update({ phase: "loading", files: 3 });
    expect(stream.written).toBe("\rflowgate: 3 files loaded, 0 functions analysed\x1b[K");
  });

  it("writes nothing when disabled, even for long scans", () => {
    let now = 0;
    const stream = fakeStream(true);
    const line = createProgressLine({ stream, enabled: false, now: () => now });
    now = 5000;
    line.update({ phase: "loading", files: 1 });
    line.done();
    expect(stream.written).toBe("");
  });
});
