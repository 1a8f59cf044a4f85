import { describe, expect, it } from "vitest";
import type { LibraryModel } from "../../src/config/policy.js";
import { libraryIndexOf } from "../../src/model/library-index.js";
import { createPackageJudge, modelledPackages, packageOfModule } from "../../src/model/packages.js";

const model = (id: string, call: string): LibraryModel => ({
  id,
  file: id,
  sinks: [{ id, kind: "network", call, arguments: [0] }],
  sources: [],
  sanitizers: [],
  instances: [],
  propagators: [],
});

describe("packageOfModule", () => {
  it("names the npm package: scoped names whole, subpaths stripped", () => {
    expect(packageOfModule("nodemailer")).toBe("nodemailer");
    expect(packageOfModule("lodash/fp")).toBe("lodash");
    expect(packageOfModule("@sendgrid/mail")).toBe("@sendgrid/mail");
    expect(packageOfModule("@aws-sdk/client-ses/dist-cjs/index")).toBe("@aws-sdk/client-ses");
    expect(packageOfModule("socket.io-client")).toBe("socket.io-client");
  });

  it("is no package for builtins, globals and path aliases", () => {
    for (const module of ["node:fs", "global", "@/lib/mailer", "~/utils", "#internal", "virtual:config", "@scope"]) {
      expect(packageOfModule(module), module).toBeUndefined();
    }
  });
});

describe("createPackageJudge", () => {
  const judge = createPackageJudge(
    [model("axios", "axios#default.post")],
    ["lodash", "next-auth/jwt", "@radix-ui/*"],
    new Set(["@gateway/api", "gateway-worker"]),
    ["@server/*", "~/*", "config"],
  );

  it("reports a third-party package no model covers, by its npm name", () => {
    expect(judge.unmodelledPackage("nodemailer#createTransport().sendMail")).toBe("nodemailer");
    expect(judge.unmodelledPackage("@acme/crm/contacts#push")).toBe("@acme/crm");
  });

  it("leaves alone modelled packages (any member), local ones, builtins, globals and the project's own packages", () => {
    expect(judge.unmodelledPackage("axios#default.interceptors.request.use")).toBeUndefined();
    expect(judge.unmodelledPackage("lodash/fp#get")).toBeUndefined();
    expect(judge.unmodelledPackage("node:dns#lookup")).toBeUndefined();
    expect(judge.unmodelledPackage("global#structuredClone")).toBeUndefined();
    expect(judge.unmodelledPackage("gateway-worker#enqueue")).toBeUndefined();
    expect(judge.unmodelledPackage("@gateway/shared#normalize")).toBeUndefined(); // same npm scope as @gateway/api
  });

  it("takes a specifier a tsconfig `paths` pattern matches for a project alias, wherever it resolves", () => {
    expect(judge.unmodelledPackage("@server/logging#Logger.info")).toBeUndefined();
    expect(judge.unmodelledPackage("config#get")).toBeUndefined();
    expect(judge.unmodelledPackage("configstore#get")).toBe("configstore");
  });

  it("takes a local entry point for itself and what is below it, not for the rest of its package", () => {
    expect(judge.unmodelledPackage("next-auth/jwt#encode")).toBeUndefined();
    expect(judge.unmodelledPackage("next-auth/jwt/sub#x")).toBeUndefined();
    expect(judge.unmodelledPackage("next-auth#signIn")).toBe("next-auth");
    expect(judge.unmodelledPackage("next-auth/react#signIn")).toBe("next-auth");
  });

  it("takes `@scope/*` for every package of that scope", () => {
    expect(judge.unmodelledPackage("@radix-ui/react-slot#Slot")).toBeUndefined();
    expect(judge.unmodelledPackage("@radix-ui-like/x#y")).toBe("@radix-ui-like/x");
  });
});

describe("what a list of models gives, shared between runs (per-models.ts)", () => {
  const models = [model("axios", "axios#default.post")];

  it("gives one policy's local packages to its own judge only: the packages of the same models are shared", () => {
    const withLocal = createPackageJudge(models, ["nodemailer"], new Set());
    const without = createPackageJudge(models, [], new Set());
    expect(withLocal.unmodelledPackage("nodemailer#createTransport().sendMail")).toBeUndefined();
    expect(without.unmodelledPackage("nodemailer#createTransport().sendMail")).toBe("nodemailer");
    expect(modelledPackages(models)).toEqual(new Set(["axios"]));
  });

  it("is worked out once for the same models and again for other models or another list of them", () => {
    expect(modelledPackages(models)).toBe(modelledPackages([...models]));
    expect(libraryIndexOf(models)).toBe(libraryIndexOf([...models]));
    const other = [model("axios", "axios#default.post")];
    expect(libraryIndexOf(other)).not.toBe(libraryIndexOf(models));
    expect(libraryIndexOf([...models, ...other])).not.toBe(libraryIndexOf(models));
    expect(modelledPackages([model("got", "got#default")])).toEqual(new Set(["got"]));
  });
});
