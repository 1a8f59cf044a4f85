import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Random } from "./random.js";
import { planModule, type ModuleSpec } from "./gateway-model.js";
import { planMethods } from "./service-methods.js";
import { plantedLeaks, workflowFile, workflowImport, workflowMethod, type PlantedLeak } from "./owner-links.js";
import {
  SHARED_FILES,
  appModuleFile,
  barrelFile,
  dtoFile,
  expressRouterFile,
  helpersFile,
  legacyFile,
  mainFile,
  nestControllerFile,
  nestModuleFile,
  serviceFile,
} from "./gateway-files.js";

/**
 * Generates a NestJS/Express data-access gateway of about `lines` lines of source, byte-identical for a given seed.
 * The dependencies are pinned so that `tsc --noEmit` sees the same declaration files on every run.
 */
export const GATEWAY_DEPENDENCIES: Record<string, string> = {
  "@nestjs/axios": "4.0.1",
  "@nestjs/common": "11.2.10",
  "@nestjs/core": "11.2.10",
  "@types/express": "5.0.6",
  "@types/node": "20.19.43",
  axios: "1.21.1",
  express: "5.3.0",
  pino: "10.4.0",
  "reflect-metadata": "0.2.2",
  rxjs: "7.8.2",
};

export interface GenerateOptions {
  /** Target size in lines of TypeScript/JavaScript source; the result overshoots by at most one module. */
  lines: number;
  seed?: number;
  /**
   * Each module also gets a workflow its service holds, whose steps keep the workflow (owner links, owner-links.ts).
   * Off by default, so that the standard sizes stay comparable across sessions.
   */
  ownerLinks?: boolean;
}

export interface GeneratedProject {
  /** Relative path → content, in generation order. */
  files: Map<string, string>;
  stats: {
    lines: number;
    sourceFiles: number;
    modules: number;
    legacyFiles: number;
    methods: number;
    /** Service methods by what the value reaching the egress point is (planted leaks vs near misses). */
    outcomes: Record<string, number>;
    /** With `ownerLinks`: the workflows written and the leaks planted in them (two each, not in `outcomes`). */
    ownerLinks?: { workflows: number; plantedLeaks: PlantedLeak[] };
  };
  /** The file the update scan's one-file change edits. */
  changeTarget: string;
}

export const DEFAULT_SEED = 20261129;

const LEGACY_HOSTS = ["audit.partner-logs.example", "events.legacy-bus.example", "ingest.old-siem.example"];

export function generateProject(options: GenerateOptions): GeneratedProject {
  const rng = new Random(options.seed ?? DEFAULT_SEED);
  const files = new Map<string, string>();
  const outcomes: Record<string, number> = { leak: 0, clean: 0, vetted: 0, sanitized: 0 };
  let lines = 0;
  let methods = 0;
  let workflows = 0;
  const planted: PlantedLeak[] = [];
  const add = (file: string, content: string) => {
    files.set(file, content);
    if (/\.(ts|js)$/.test(file)) lines += countLines(content);
  };
  // What the owner links add is not counted towards the requested size: the gateway keeps the standard one's modules
  // (the seed decides the same ones), and grows by its workflows.
  let ownerLines = 0;
  const addWithOwnerLinks = (file: string, standard: string, content: string) => {
    add(file, standard);
    files.set(file, content);
    ownerLines += countLines(content) - countLines(standard);
  };

  for (const [file, content] of Object.entries(SHARED_FILES)) add(file, content);
  const modules: ModuleSpec[] = [];
  let legacyCount = 0;
  let latestLegacy: string | undefined;
  // The app module grows by two lines per module and main.ts by two per Express module; counting them (from below)
  // up front keeps the result at or just above the requested size.
  let routers = 0;
  while (lines + 2 * modules.length + 2 * routers + 10 < options.lines) {
    const index = modules.length;
    if (index % 6 === 0) {
      latestLegacy = `audit-${legacyCount++}`;
      add(`src/legacy/${latestLegacy}.js`, legacyFile(latestLegacy, LEGACY_HOSTS[legacyCount % LEGACY_HOSTS.length] as string));
    }
    const legacy = index % 6 === 0 || rng.chance(0.2) ? latestLegacy : undefined;
    const spec = planModule(index, rng, modules, legacy);
    const planned = planMethods(spec, rng);
    methods += planned.length;
    for (const m of planned) outcomes[m.outcome] = (outcomes[m.outcome] ?? 0) + 1;
    const dir = `src/modules/${spec.name}`;
    add(`${dir}/dto/${spec.name}.dto.ts`, dtoFile(spec));
    add(`${dir}/helpers/${spec.name}.helpers.ts`, helpersFile(spec));
    const service = `${dir}/${spec.name}.service.ts`;
    const entry = spec.style === "nest" ? `${dir}/${spec.name}.controller.ts` : `${dir}/${spec.name}.router.ts`;
    const entryFile = spec.style === "nest" ? nestControllerFile : expressRouterFile;
    if (options.ownerLinks) {
      // The workflow's members and its call come last, after everything the seed decided.
      const members = [...planned, workflowMethod(spec)];
      addWithOwnerLinks(service, serviceFile(spec, planned), serviceFile(spec, members, [workflowImport(spec)]));
      const workflow = workflowFile(spec);
      addWithOwnerLinks(`${dir}/${spec.name}.workflow.ts`, "", workflow);
      planted.push(...plantedLeaks(spec, `${dir}/${spec.name}.workflow.ts`, workflow));
      addWithOwnerLinks(entry, entryFile(spec, planned), entryFile(spec, members));
      workflows++;
    } else {
      add(service, serviceFile(spec, planned));
      add(entry, entryFile(spec, planned));
    }
    add(`${dir}/${spec.name}.module.ts`, nestModuleFile(spec));
    add(`${dir}/index.ts`, barrelFile(spec));
    modules.push(spec);
    if (spec.style === "express") routers++;
  }
  add("src/app.module.ts", appModuleFile(modules));
  add("src/main.ts", mainFile(modules));
  for (const [file, content] of Object.entries(projectConfigFiles())) add(file, content);

  const first = modules[0];
  if (!first) throw new Error(`generateProject: ${options.lines} lines is too small for one module`);
  return {
    files,
    stats: {
      lines: lines + ownerLines,
      sourceFiles: [...files.keys()].filter((f) => /\.(ts|js)$/.test(f)).length,
      modules: modules.length,
      legacyFiles: legacyCount,
      methods,
      outcomes,
      ...(options.ownerLinks ? { ownerLinks: { workflows, plantedLeaks: planted } } : {}),
    },
    changeTarget: `src/modules/${first.name}/${first.name}.service.ts`,
  };
}

function projectConfigFiles(): Record<string, string> {
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2023"],
      types: ["node"],
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      esModuleInterop: true,
      skipLibCheck: true,
      allowJs: true,
      checkJs: false,
      outDir: "dist",
      paths: { "@app/*": ["./src/*"] },
    },
    include: ["src/**/*"],
  };
  const pkg = {
    name: "generated-gateway",
    version: "1.0.0",
    private: true,
    description: "Generated by flowgate's benchmark (bench/generate.ts); not a real service.",
    scripts: { typecheck: "tsc --noEmit" },
    dependencies: GATEWAY_DEPENDENCIES,
  };
  return {
    "package.json": JSON.stringify(pkg, null, 2) + "\n",
    "tsconfig.json": JSON.stringify(tsconfig, null, 2) + "\n",
    ".gitignore": "node_modules\ndist\n",
    "flowgate.config.yaml": [
      "extends: recommended",
      "vetted:",
      "  hosts:",
      "    - api.enclave.internal.example",
      "  calls:",
      "    - src/shared/enclave.ts#sendToEnclave",
      "sanitizers:",
      "  - src/shared/mask.ts#hashValue",
      "",
    ].join("\n"),
  };
}

export function countLines(content: string): number {
  if (content.length === 0) return 0;
  let n = content.endsWith("\n") ? 0 : 1;
  for (let i = content.indexOf("\n"); i !== -1; i = content.indexOf("\n", i + 1)) n++;
  return n;
}

/** Writes the project into `dir`, replacing what was there. */
export function writeProject(dir: string, project: GeneratedProject): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [file, content] of project.files) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
