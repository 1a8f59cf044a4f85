import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withLibTextsFromFiles } from "../../src/startup/lib-texts.js";

const requireHere = createRequire(import.meta.url);
const tsMorphDir = path.dirname(requireHere.resolve("ts-morph"));
const fromTsMorph = createRequire(path.join(tsMorphDir, "index.js"));
const commonFile = fromTsMorph.resolve("@ts-morph/common");
type LibFiles = { getLibFiles(): { fileName: string; text: string }[] };

describe("lib texts from files (the startup snapshot's bundle)", () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), "flowgate-lib-texts-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("serves every lib text of the compiler package exactly as the package does, each read only when asked for", () => {
    const original = (fromTsMorph("@ts-morph/common") as LibFiles).getLibFiles();
    const source = readFileSync(commonFile, "utf8");
    const rewritten = withLibTextsFromFiles(source, new Map(original.map((lib) => [lib.fileName, lib.text])), directory);
    expect(rewritten.length).toBeLessThan(source.length - 2_000_000);
    expect(readdirSync(directory).sort()).toEqual(original.map((lib) => lib.fileName).sort());
    // the rewritten module, evaluated as CommonJS beside the original, with the bundle's reader
    const read: string[] = [];
    const libText = (name: string) => {
      read.push(name);
      return readFileSync(path.join(directory, name), "utf8");
    };
    const module = { exports: {} as LibFiles };
    const requireThere = createRequire(commonFile);
    new Function("exports", "require", "module", "__filename", "__dirname", "__flowgateLibText", rewritten)(
      module.exports,
      requireThere,
      module,
      commonFile,
      path.dirname(commonFile),
      libText,
    );
    const served = module.exports.getLibFiles();
    expect(served.map((lib) => lib.fileName)).toEqual(original.map((lib) => lib.fileName));
    expect(read).toEqual([]);
    const dom = served.find((lib) => lib.fileName === "lib.dom.d.ts");
    expect(dom?.text).toBe(original.find((lib) => lib.fileName === "lib.dom.d.ts")?.text);
    expect(read).toEqual(["lib.dom.d.ts"]);
    for (const [i, lib] of served.entries()) expect(lib.text, lib.fileName).toBe(original[i]!.text);
  });

  it("leaves a source it does not recognise as it is", () => {
    const texts = new Map([["lib.es5.d.ts", "interface Array<T> {}"]]);
    expect(withLibTextsFromFiles("export const x = 1;", texts, directory)).toBe("export const x = 1;");
    // an array naming a lib the package does not have: unchanged
    const other = 'const libFiles = [{ fileName: "lib.other.d.ts", text: "x" }];';
    expect(withLibTextsFromFiles(other, texts, directory)).toBe(other);
  });
});
