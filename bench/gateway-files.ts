import type { ModuleSpec } from "./gateway-model.js";
import type { Method } from "./service-methods.js";
import { stringOf } from "./service-methods.js";

/**
 * File templates of a generated gateway: pure functions from a module's plan to source text. Every file must
 * type-check under the generated tsconfig (strict, decorators, path aliases), since the benchmark runs `tsc --noEmit`
 * on the same tree.
 */

/** The line inside each service class where the benchmark's one-file change inserts a method. */
export const CHANGE_POINT = "  // bench:change-point";

export function dtoFile(spec: ModuleSpec): string {
  const fields = [...spec.restricted, ...spec.ordinary].sort((a, b) => a.name.localeCompare(b.name));
  const geo = fields.some((f) => f.type === "GeoPoint");
  return [
    ...(geo ? [`import type { GeoPoint } from "@app/shared";`, ``] : []),
    `/** ${spec.pascal} as the gateway receives it from clients. */`,
    `export class ${spec.pascal}Dto {`,
    `  id!: string;`,
    `  displayName!: string;`,
    `  status!: "active" | "blocked" | "pending";`,
    ...fields.map((f) => `  ${f.name}!: ${f.type};`),
    `}`,
    ``,
    `/** What leaves the gateway about a ${spec.pascal} when nothing restricted may. */`,
    `export interface ${spec.pascal}Summary {`,
    `  id: string;`,
    `  displayName: string;`,
    `  status: string;`,
    `}`,
    ``,
    `export type ${spec.pascal}Patch = Partial<Omit<${spec.pascal}Dto, "id">>;`,
    ``,
  ].join("\n");
}

export function helpersFile(spec: ModuleSpec): string {
  const up = spec.upstream;
  const ordinary = spec.ordinary[0];
  return [
    `import type { ${spec.pascal}Dto, ${spec.pascal}Patch, ${spec.pascal}Summary } from "../dto/${spec.name}.dto";`,
    up ? `import { format${up.pascal} } from "@app/modules/${up.name}";` : `import { hashValue } from "@app/shared";`,
    ``,
    `export function to${spec.pascal}Summary(v: ${spec.pascal}Dto): ${spec.pascal}Summary {`,
    `  return { id: v.id, displayName: v.displayName, status: v.status };`,
    `}`,
    ``,
    `/** Labels travel through each module's formatter on their way to a log line. */`,
    `export function format${spec.pascal}(value: string): string {`,
    `  const trimmed = value.trim();`,
    up
      ? `  return format${up.pascal}(trimmed.length > 64 ? trimmed.slice(0, 64) : trimmed);`
      : `  return trimmed.length > 0 ? \`[${spec.name}] \${trimmed}\` : hashValue("empty");`,
    `}`,
    ``,
    `export function normalize${spec.pascal}(v: ${spec.pascal}Dto): ${spec.pascal}Dto {`,
    `  return { ...v, displayName: v.displayName.trim() };`,
    `}`,
    ``,
    `export function apply${spec.pascal}Patch(v: ${spec.pascal}Dto, patch: ${spec.pascal}Patch): ${spec.pascal}Dto {`,
    `  const next: ${spec.pascal}Dto = { ...v };`,
    `  for (const [key, value] of Object.entries(patch)) {`,
    `    if (value !== undefined) Object.assign(next, { [key]: value });`,
    `  }`,
    `  return next;`,
    `}`,
    ``,
    `export function describe${spec.pascal}(v: ${spec.pascal}Dto): string {`,
    ordinary
      ? `  return \`\${v.displayName} <\${v.status}> \${${stringOf("v", ordinary)}}\`;`
      : `  return \`\${v.displayName} <\${v.status}>\`;`,
    `}`,
    ``,
  ].join("\n");
}

export function serviceFile(spec: ModuleSpec, methods: readonly Method[], extraImports: readonly string[] = []): string {
  const legacyImport = spec.legacy ? [`import { sendAudit, sendRawAudit } from "@app/legacy/${spec.legacy}";`] : [];
  return [
    `import { Injectable, Logger } from "@nestjs/common";`,
    `import { HttpService } from "@nestjs/axios";`,
    `import { firstValueFrom } from "rxjs";`,
    `import {`,
    `  ANALYTICS_URL,`,
    `  ENCLAVE_API_URL,`,
    `  PARTNER_API_URL,`,
    `  enclaveClient,`,
    `  hashValue,`,
    `  logger,`,
    `  partnerClient,`,
    `  postJson,`,
    `  sendToEnclave,`,
    `} from "@app/shared";`,
    ...legacyImport,
    ...extraImports,
    `import { ${spec.pascal}Dto } from "./dto/${spec.name}.dto";`,
    `import { format${spec.pascal}, normalize${spec.pascal}, to${spec.pascal}Summary } from "./helpers/${spec.name}.helpers";`,
    ``,
    `@Injectable()`,
    `export class ${spec.pascal}Service {`,
    `  private readonly logger = new Logger(${spec.pascal}Service.name);`,
    `  private readonly cache = new Map<string, ${spec.pascal}Dto>();`,
    ``,
    `  constructor(private readonly http: HttpService) {}`,
    ``,
    `  async load(id: string): Promise<${spec.pascal}Dto | undefined> {`,
    `    const cached = this.cache.get(id);`,
    `    if (cached) return cached;`,
    `    const response = await enclaveClient.get<${spec.pascal}Dto>(\`/${spec.name}/\${encodeURIComponent(id)}\`);`,
    `    this.cache.set(id, response.data);`,
    `    this.logger.verbose(\`loaded ${spec.name} \${id}\`);`,
    `    return response.data;`,
    `  }`,
    ...methods.flatMap((m) => ["", ...m.lines]),
    ``,
    CHANGE_POINT,
    `}`,
    ``,
  ].join("\n");
}

export function nestControllerFile(spec: ModuleSpec, methods: readonly Method[]): string {
  const ip = spec.restricted.find((f) => f.restricted === "ip");
  return [
    `import { Body, Controller, Get, Ip, NotFoundException, Param, Post } from "@nestjs/common";`,
    `import { ${spec.pascal}Dto, type ${spec.pascal}Summary } from "./dto/${spec.name}.dto";`,
    `import { to${spec.pascal}Summary } from "./helpers/${spec.name}.helpers";`,
    `import { ${spec.pascal}Service } from "./${spec.name}.service";`,
    ``,
    `@Controller("${spec.name}")`,
    `export class ${spec.pascal}Controller {`,
    `  constructor(private readonly service: ${spec.pascal}Service) {}`,
    ``,
    `  @Get(":id")`,
    `  async get(@Param("id") id: string): Promise<${spec.pascal}Summary> {`,
    `    const entity = await this.service.load(id);`,
    `    if (!entity) throw new NotFoundException(\`${spec.name} \${id} not found\`);`,
    `    return to${spec.pascal}Summary(entity);`,
    `  }`,
    ``,
    `  @Post()`,
    `  async create(@Body() body: ${spec.pascal}Dto, @Ip() ip: string): Promise<${spec.pascal}Summary> {`,
    ip ? `    body.${ip.name} = ip;` : `    void ip;`,
    ...methods.map((m) => `    ${m.call}`),
    `    return to${spec.pascal}Summary(body);`,
    `  }`,
    `}`,
    ``,
  ].join("\n");
}

export function expressRouterFile(spec: ModuleSpec, methods: readonly Method[]): string {
  return [
    `import { Router, type Request, type Response } from "express";`,
    `import { logger } from "@app/shared";`,
    `import type { ${spec.pascal}Dto } from "./dto/${spec.name}.dto";`,
    `import { to${spec.pascal}Summary } from "./helpers/${spec.name}.helpers";`,
    `import type { ${spec.pascal}Service } from "./${spec.name}.service";`,
    ``,
    `export function create${spec.pascal}Router(service: ${spec.pascal}Service): Router {`,
    `  const router = Router();`,
    ``,
    `  router.get("/${spec.name}/:id", async (req: Request, res: Response) => {`,
    `    const entity = await service.load(String(req.params.id));`,
    `    if (!entity) {`,
    `      res.status(404).json({ error: "not found" });`,
    `      return;`,
    `    }`,
    `    res.json(to${spec.pascal}Summary(entity));`,
    `  });`,
    ``,
    `  router.post("/${spec.name}", async (req: Request, res: Response) => {`,
    `    const body = req.body as ${spec.pascal}Dto;`,
    `    logger.info({ path: req.path, client: req.ip }, "create ${spec.name}");`,
    ...methods.map((m) => `    ${m.call.replace("this.service.", "service.")}`),
    `    res.status(201).json(to${spec.pascal}Summary(body));`,
    `  });`,
    ``,
    `  return router;`,
    `}`,
    ``,
  ].join("\n");
}

export function nestModuleFile(spec: ModuleSpec): string {
  const controller = spec.style === "nest";
  return [
    `import { Module } from "@nestjs/common";`,
    `import { HttpModule } from "@nestjs/axios";`,
    controller ? `import { ${spec.pascal}Controller } from "./${spec.name}.controller";` : ``,
    `import { ${spec.pascal}Service } from "./${spec.name}.service";`,
    ``,
    `@Module({`,
    `  imports: [HttpModule],`,
    `  controllers: [${controller ? `${spec.pascal}Controller` : ""}],`,
    `  providers: [${spec.pascal}Service],`,
    `  exports: [${spec.pascal}Service],`,
    `})`,
    `export class ${spec.pascal}Module {}`,
    ``,
  ].join("\n");
}

export function barrelFile(spec: ModuleSpec): string {
  return [
    `export * from "./dto/${spec.name}.dto";`,
    `export * from "./helpers/${spec.name}.helpers";`,
    `export { ${spec.pascal}Service } from "./${spec.name}.service";`,
    `export { ${spec.pascal}Module } from "./${spec.name}.module";`,
    spec.style === "nest"
      ? `export { ${spec.pascal}Controller } from "./${spec.name}.controller";`
      : `export { create${spec.pascal}Router } from "./${spec.name}.router";`,
    ``,
  ].join("\n");
}

/** A CommonJS module of the kind old gateways keep around: untyped, `require`, `module.exports`. */
export function legacyFile(name: string, host: string): string {
  return [
    `"use strict";`,
    `// ${name}: kept from the first version of the gateway; plain CommonJS.`,
    `const axios = require("axios");`,
    ``,
    `const AUDIT_URL = "https://${host}/v2/events";`,
    ``,
    `function stamp(event) {`,
    `  return Object.assign({}, event, { at: new Date().toISOString() });`,
    `}`,
    ``,
    `function sendAudit(event) {`,
    `  return axios.post(AUDIT_URL, stamp({ type: event.type, actorId: event.actorId }));`,
    `}`,
    ``,
    `function sendRawAudit(event) {`,
    `  console.log("audit", event.type);`,
    `  return axios.post(AUDIT_URL, stamp(event));`,
    `}`,
    ``,
    `module.exports = { sendAudit, sendRawAudit };`,
    ``,
  ].join("\n");
}

export const SHARED_FILES: Record<string, string> = {
  "src/shared/hosts.ts": [
    `/** Where the gateway talks to. Only the enclave is vetted (flowgate.config.yaml). */`,
    `export const ENCLAVE_API_URL = "https://api.enclave.internal.example";`,
    `export const PARTNER_API_URL = "https://partner-api.example.com";`,
    `export const ANALYTICS_URL = "https://collect.analytics-vendor.example";`,
    ``,
  ].join("\n"),
  "src/shared/geo.ts": [`export interface GeoPoint {`, `  lat: number;`, `  lng: number;`, `}`, ``].join("\n"),
  "src/shared/logger.ts": [
    `import pino from "pino";`,
    ``,
    `export const logger = pino({ level: process.env.LOG_LEVEL ?? "info", base: { service: "gateway" } });`,
    ``,
  ].join("\n"),
  "src/shared/http.ts": [
    `import axios, { type AxiosInstance } from "axios";`,
    `import { ENCLAVE_API_URL, PARTNER_API_URL } from "./hosts";`,
    ``,
    `export const enclaveClient: AxiosInstance = axios.create({ baseURL: ENCLAVE_API_URL, timeout: 5_000 });`,
    `export const partnerClient = axios.create({ baseURL: PARTNER_API_URL, timeout: 10_000 });`,
    ``,
    `/** The fetch wrapper most services use for fire-and-forget JSON posts. */`,
    `export async function postJson<T = unknown>(url: string, body: unknown): Promise<T> {`,
    `  const response = await fetch(url, {`,
    `    method: "POST",`,
    `    headers: { "content-type": "application/json" },`,
    `    body: JSON.stringify(body),`,
    `  });`,
    `  if (!response.ok) throw new Error(\`POST \${url} failed with \${response.status}\`);`,
    `  return (await response.json()) as T;`,
    `}`,
    ``,
  ].join("\n"),
  "src/shared/mask.ts": [
    `import { createHash } from "node:crypto";`,
    ``,
    `/** One-way hash: listed as a sanitizer in flowgate.config.yaml. */`,
    `export function hashValue(value: string): string {`,
    `  return createHash("sha256").update(value).digest("hex");`,
    `}`,
    ``,
  ].join("\n"),
  "src/shared/enclave.ts": [
    `/** The one door into the enclave; listed in vetted.calls, so its destination needs no resolving. */`,
    `export async function sendToEnclave(path: string, payload: unknown): Promise<void> {`,
    `  const base = process.env.ENCLAVE_URL ?? "http://localhost:8443";`,
    `  await fetch(base + path, { method: "POST", body: JSON.stringify(payload) });`,
    `}`,
    ``,
  ].join("\n"),
  "src/shared/index.ts": [
    `export * from "./hosts";`,
    `export * from "./geo";`,
    `export * from "./logger";`,
    `export * from "./http";`,
    `export * from "./mask";`,
    `export * from "./enclave";`,
    ``,
  ].join("\n"),
};

export function appModuleFile(modules: readonly ModuleSpec[]): string {
  return [
    `import { Module } from "@nestjs/common";`,
    ...modules.map((m) => `import { ${m.pascal}Module } from "./modules/${m.name}";`),
    ``,
    `@Module({`,
    `  imports: [`,
    ...modules.map((m) => `    ${m.pascal}Module,`),
    `  ],`,
    `})`,
    `export class AppModule {}`,
    ``,
  ].join("\n");
}

export function mainFile(modules: readonly ModuleSpec[]): string {
  const routers = modules.filter((m) => m.style === "express");
  return [
    `import "reflect-metadata";`,
    `import { NestFactory } from "@nestjs/core";`,
    `import express from "express";`,
    `import { HttpService } from "@nestjs/axios";`,
    `import { AppModule } from "./app.module";`,
    ...routers.map((m) => `import { ${m.pascal}Service, create${m.pascal}Router } from "./modules/${m.name}";`),
    ``,
    `async function bootstrap(): Promise<void> {`,
    `  const app = await NestFactory.create(AppModule);`,
    `  const legacy = express();`,
    `  legacy.use(express.json());`,
    ...routers.map((m) => `  legacy.use(create${m.pascal}Router(app.get(${m.pascal}Service)));`),
    `  void app.get(HttpService);`,
    `  app.use("/legacy", legacy);`,
    `  await app.listen(Number(process.env.PORT ?? 3000));`,
    `}`,
    ``,
    `void bootstrap();`,
    ``,
  ].join("\n");
}
