import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, transform, type Plugin } from "esbuild";
import { PACKAGE_ROOT } from "../package-root.js";
import { compilerPackage } from "../workspace/compiler-package.js";
import { withLibTextsFromFiles } from "./lib-texts.js";
import { LARGE_SCAN_SNAPSHOT_V8_FLAGS } from "./large-scan.js";
import { LARGE_SCAN_SNAPSHOT_BLOB, SCAN_V8_FLAGS, SNAPSHOT_BLOB, SNAPSHOT_BUNDLE, SNAPSHOT_DIR, SNAPSHOT_LIB_TEXTS, SNAPSHOT_STAMP, currentStamp } from "./snapshot-files.js";

/**
 * Builds the startup snapshot (run by `npm run build` after tsc): bundles dist/startup/snapshot-entry.js and everything
 * it imports into one CommonJS file (a snapshot builder can `require` only Node's built-in modules), runs it under
 * `node --build-snapshot`, checks that a process started from the snapshot answers, and writes the stamp last, so a
 * failed build leaves no usable snapshot and the launcher starts as without one. The same bundle is made into a second
 * snapshot under a large scan's V8 options, which V8 requires of a process started from it: the process a large scan
 * is handed to (large-scan.ts) starts from that one instead of loading the compiler anew.
 */
export async function buildSnapshot(): Promise<void> {
  rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  await build({
    entryPoints: [path.join(PACKAGE_ROOT, "dist", "startup", "snapshot-entry.js")],
    outfile: SNAPSHOT_BUNDLE,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
    // Without whitespace and comments: V8 keeps the whole source in the snapshot, and one non-ASCII character in a
    // comment would make it keep all of it two bytes a character. Names are kept, for stack traces.
    minifyWhitespace: true,
    charset: "ascii",
    // `import.meta.url` has no meaning in CommonJS: the modules that use it locate the package from it, so it becomes
    // the URL the module at dist/package-root.js has (the bundle sits one folder below dist/).
    define: { "import.meta.url": "__flowgateModuleUrl" },
    banner: {
      js:
        'var __flowgateModuleUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", "package-root.js")).href;' +
        // the lib texts the compiler package's array gets from files (lib-texts.ts)
        `var __flowgateLibText = (name) => require("node:fs").readFileSync(require("node:path").join(__dirname, ${JSON.stringify(path.relative(SNAPSHOT_DIR, SNAPSHOT_LIB_TEXTS))}, name), "utf8");`,
    },
    plugins: [compilerPackageOnly()],
  });
  const expected = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
  for (const [flags, blob] of [
    [SCAN_V8_FLAGS, SNAPSHOT_BLOB],
    [LARGE_SCAN_SNAPSHOT_V8_FLAGS, LARGE_SCAN_SNAPSHOT_BLOB],
  ] as const) {
    run([...flags, `--snapshot-blob`, blob, "--build-snapshot", SNAPSHOT_BUNDLE], `build the snapshot ${path.basename(blob)}`);
    const version = run([...flags, `--snapshot-blob`, blob, "--", path.join(PACKAGE_ROOT, "bin", "flowgate.js"), "--version"], `start from ${path.basename(blob)}`);
    if (version.trim() !== expected) throw new Error(`a process started from ${path.basename(blob)} printed ${JSON.stringify(version)}, not ${expected}`);
  }
  writeFileSync(SNAPSHOT_STAMP, `${JSON.stringify({ ...currentStamp(), largeV8Flags: [...LARGE_SCAN_SNAPSHOT_V8_FLAGS] })}\n`);
}

/**
 * flowgate uses only the compiler from ts-morph (`import { ts } from "ts-morph"`), which ts-morph re-exports from its
 * compiler package, @ts-morph/common: the bundle takes that package in ts-morph's place, and in place of the run-time
 * lookup of it (compiler-package.ts), so it holds one compiler and none of ts-morph's wrapper.
 *
 * The compiler itself (the package's typescript.js, 9 MB of source) is bundled with its local names shortened: V8 keeps
 * the whole bundle's source in the snapshot, and every process reads, copies and deserialises it before the CLI starts
 * (about 12 ms of CPU per MB of blob here). Shortened, the bundle is 8.2 → 5.1 MB and the blob 25.7 → 22.6 MB; a start
 * costs ~50 ms less CPU (performance.md, session 45 — helper R). Property names and the module's exports are kept (the
 * compiler is itself an esbuild bundle, written to be minified), so nothing changes but the names in the compiler's
 * stack frames — flowgate's own keep theirs, and FLOWGATE_NO_SNAPSHOT=1 runs the compiler as installed.
 */
function compilerPackageOnly(): Plugin {
  const tsMorphDir = path.dirname(createRequire(import.meta.url).resolve("ts-morph"));
  const common = createRequire(path.join(tsMorphDir, "index.js")).resolve("@ts-morph/common");
  const compiler = createRequire(common).resolve("./typescript");
  return {
    name: "compiler-package-only",
    setup(builder) {
      builder.onResolve({ filter: /^ts-morph$/ }, () => ({ path: common }));
      builder.onLoad({ filter: /\.js$/, namespace: "file" }, async (args) => {
        if (args.path === compiler) {
          const minified = await transform(readFileSync(compiler, "utf8"), { loader: "js", format: "cjs", platform: "node", target: "node20", minifyIdentifiers: true, charset: "ascii" });
          return { contents: minified.code, loader: "js" };
        }
        if (args.path !== common) return undefined;
        const texts = new Map(compilerPackage().getLibFiles().map((lib) => [lib.fileName, lib.text]));
        return { contents: withLibTextsFromFiles(readFileSync(common, "utf8"), texts, SNAPSHOT_LIB_TEXTS), loader: "js" };
      });
      builder.onResolve({ filter: /\/compiler-package\.js$/ }, () => ({ path: "compiler-package", namespace: "flowgate" }));
      builder.onLoad({ filter: /.*/, namespace: "flowgate" }, () => ({
        contents: `import * as common from ${JSON.stringify(common)};\nexport function compilerPackage() { return common; }\n`,
        loader: "js",
        resolveDir: tsMorphDir,
      }));
    },
  };
}

function run(args: string[], what: string): string {
  const result = spawnSync(process.execPath, args, { cwd: SNAPSHOT_DIR, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  if (result.status !== 0) {
    throw new Error(`could not ${what} (node ${args.join(" ")}: ${result.error?.message ?? `exit ${result.status ?? result.signal}`})\n${result.stderr}`);
  }
  return result.stdout;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    if (process.env.FLOWGATE_NO_SNAPSHOT) {
      // One scan per install (a CI job) does not win back the few seconds of CPU the snapshot costs to make.
      rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
      process.stdout.write("startup snapshot: not made (FLOWGATE_NO_SNAPSHOT is set)\n");
    } else {
      await buildSnapshot();
      process.stdout.write(`startup snapshot → ${SNAPSHOT_BLOB}\n`);
    }
  } catch (error) {
    rmSync(SNAPSHOT_STAMP, { force: true });
    process.stderr.write(`startup snapshot: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
