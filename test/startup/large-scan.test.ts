import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { canRunAgain } from "../../src/cli/scan-command.js";
import {
  acceptHandOver,
  HAND_OVER_MESSAGE,
  handOverLargeScan,
  KNOWN_SHARE,
  LARGE_SCAN_CHARACTERS,
  LargeScanHandedOver,
  takeHandOver,
  useLauncherPipe,
} from "../../src/startup/large-scan.js";

// The process started from the snapshot hands a large scan back to the launcher on the pipe it was given; any other
// process (no snapshot, Node options, the library called directly) keeps its scan, however large.
describe("handing a large scan back to the launcher", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const pipeFile = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-pipe-"));
    dirs.push(dir);
    return path.join(dir, "pipe");
  };

  it("is not offered when --diff names something other than a file (a pipe, a device), which could not be read again", () => {
    const patch = pipeFile();
    writeFileSync(patch, "");
    expect(canRunAgain({})).toBe(true);
    expect(canRunAgain({ diff: patch })).toBe(true);
    expect(canRunAgain({ diff: "/dev/null" })).toBe(false);
  });

  it("does nothing in a process the launcher did not start from the snapshot", () => {
    expect(() => handOverLargeScan({ files: 9, characters: LARGE_SCAN_CHARACTERS * 10 })).not.toThrow();
  });

  it("keeps a scan below the threshold, and hands over one at it, once", () => {
    const file = pipeFile();
    const fd = openSync(file, "w");
    useLauncherPipe(fd);
    expect(() => handOverLargeScan({ files: 5, characters: LARGE_SCAN_CHARACTERS - 1 })).not.toThrow();
    expect(readFileSync(file, "utf8")).toBe("");
    expect(() => handOverLargeScan({ files: 7, characters: LARGE_SCAN_CHARACTERS })).toThrow(LargeScanHandedOver);
    expect(readFileSync(file, "utf8")).toBe(`${HAND_OVER_MESSAGE} 7 ${LARGE_SCAN_CHARACTERS}\n`);
    // the pipe is closed and forgotten: a second large source set in the process (the base of a review) is not handed over
    expect(() => closeSync(fd)).toThrow();
    expect(() => handOverLargeScan({ files: 7, characters: LARGE_SCAN_CHARACTERS })).not.toThrow();
  });

  it("keeps a large scan whose texts an earlier run of this build nearly all read (it starts from the analysis cache)", () => {
    acceptHandOver();
    const large = LARGE_SCAN_CHARACTERS + 1;
    expect(() => handOverLargeScan({ files: 100, characters: large, known: Math.ceil(100 * KNOWN_SHARE) })).not.toThrow();
    expect(() => handOverLargeScan({ files: 100, characters: large, known: 100 })).not.toThrow();
    expect(takeHandOver()).toBeUndefined();
    // too few known texts (a tree far from the earlier run's), or no memo at all (no cache): handed over
    expect(() => handOverLargeScan({ files: 100, characters: large, known: Math.ceil(100 * KNOWN_SHARE) - 1 })).toThrow(LargeScanHandedOver);
    expect(takeHandOver()).toBe(`100 ${large}`);
    acceptHandOver();
    expect(() => handOverLargeScan({ files: 100, characters: large })).toThrow(LargeScanHandedOver);
    expect(takeHandOver()).toBe(`100 ${large}`);
  });

  it("hands over to the launcher in its own process (a start without the snapshot), which reads it back once", () => {
    acceptHandOver();
    expect(() => handOverLargeScan({ files: 3, characters: LARGE_SCAN_CHARACTERS - 1 })).not.toThrow();
    expect(takeHandOver()).toBeUndefined();
    expect(() => handOverLargeScan({ files: 3, characters: LARGE_SCAN_CHARACTERS + 1 })).toThrow(LargeScanHandedOver);
    expect(takeHandOver()).toBe(`3 ${LARGE_SCAN_CHARACTERS + 1}`);
    expect(takeHandOver()).toBeUndefined();
  });
});
