import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import {
  Const,
  Param,
  destinationValue,
  resolveDestination,
  substituteParams,
  toDestination,
  type EvaluationEnvironment,
} from "../../src/dataflow/destinations/index.js";
import type { DestinationSpec } from "../../src/vocabulary/question.js";

/*
 * SDK hosts decided by the client's configuration (`new SQSClient({ region, endpoint })`): a `hostTemplate` filled
 * from the configuration argument, which a configured base URL overrides. Each `probe(config)` below stands for the
 * construction of one client; its argument is the configuration.
 */
const p = (() => {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true } });
  project.createSourceFile(
    "aws.ts",
    `export const AWS = { region: "eu-west-1", endpoint: "https://sqs.enclave.eu.internal" } as const;
     export const REGION_ONLY = { region: "eu-central-1" };`,
  );
  const main = project.createSourceFile(
    "main.ts",
    `import { AWS, REGION_ONLY } from "./aws";
     declare function probe(config?: unknown): void;
     declare const shared: { region: string };
     probe({ region: "eu-west-1" });                                        // 0 regional host
     probe({ region: process.env.AWS_REGION });                             // 1 env
     probe({});                                                             // 2 no region
     probe();                                                               // 3 no configuration at all
     probe({ ...shared, maxAttempts: 3 });                                  // 4 region may come from the spread
     probe({ ...REGION_ONLY, region: "eu-west-2" });                        // 5 a known spread, overridden
     probe(AWS);                                                            // 6 imported config with an endpoint
     probe(REGION_ONLY);                                                    // 7 imported config, region only
     probe({ region: "evil.example/x" });                                   // 8 not a host label
     probe({ region: process.env.AWS_REGION ?? "eu-west-1" });              // 9 a fallback does not settle an env
     probe({ region: "eu-west-1", endpoint: process.env.SQS_ENDPOINT });    // 10 endpoint from the deployment
     probe({ region: "eu-west-1", cloud: { zone: "b" } });                  // 11 dotted setting
     probe({ region: "EU-West-1" });                                        // 12 case
     function makeClient(region: string) { probe({ region }); }            // 13 inside a summary
     probe({ edge: "dublin", region: "ie1" });                              // 14 twilio: edge and region
     probe({ edge: "sydney" });                                             // 15 edge alone
     probe({ region: process.env.TWILIO_REGION });                          // 16 region from the environment
     probe({ service: "Gmail", auth: { user: "a" } });                      // 17 nodemailer: a well-known service
     probe({ service: "Google Mail", host: "smtp.enclave.eu.internal" });   // 18 the service preset wins over host
     probe({ host: "smtp.enclave.eu.internal", port: 587 });                // 19 host alone
     probe({ service: "MyRelay" });                                         // 20 a service flowgate does not know
     probe({ service: process.env.SMTP_SERVICE });                          // 21 service from the environment
     probe("smtps://mailer:secret@smtp.enclave.eu.internal:465");           // 22 a connection URL
     probe({ auth: { user: "a" } });                                        // 23 neither host nor service
     probe("Endpoint=sb://gateway.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=a2V5"); // 24 Azure connection string
     probe("DefaultEndpointsProtocol=https;AccountName=exports;AccountKey=a2V5;EndpointSuffix=core.windows.net"); // 25 storage account
     probe("bus.enclave.eu.internal");                                      // 26 a fully qualified namespace
     probe(process.env.SERVICEBUS_CONNECTION_STRING);                       // 27 from the environment
    `,
  );
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "probe") calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(main.compilerNode);
  return { calls, env: { checker: project.getTypeChecker().compilerObject } as EvaluationEnvironment };
})();

function spec(i: number, template: string | string[] = "sqs.{region}.amazonaws.com", host?: string): { spec: DestinationSpec; call: ts.CallExpression } {
  const call = p.calls[i];
  if (call === undefined) throw new Error(`no probe ${i}`);
  const argument = call.arguments[0];
  return {
    call,
    spec: {
      hostTemplate: { templates: [template].flat(), configuration: { ...(argument ? { argument } : {}), baseUrl: ["endpoint"] } },
      ...(host !== undefined ? { host } : {}),
    },
  };
}
const resolve = (i: number, template?: string | string[], env: EvaluationEnvironment = p.env, host?: string) => {
  const { spec: s, call } = spec(i, template, host);
  return resolveDestination(s, call, env);
};
const unresolved = (reason: string) => ({ status: "unresolved", reason: `destination could not be resolved (${reason})` });

describe("hostTemplate: a host built from the client's configuration", () => {
  it("fills the template from a constant setting (local or imported)", () => {
    expect(resolve(0)).toEqual({ status: "resolved", host: "sqs.eu-west-1.amazonaws.com", url: "https://sqs.eu-west-1.amazonaws.com/" });
    expect(resolve(5)).toEqual(expect.objectContaining({ host: "sqs.eu-west-2.amazonaws.com" }));
    expect(resolve(7, "events.{region}.amazonaws.com")).toEqual(expect.objectContaining({ host: "events.eu-central-1.amazonaws.com" }));
    expect(resolve(12)).toEqual(expect.objectContaining({ host: "sqs.eu-west-1.amazonaws.com" }));
  });

  it("reads dotted settings", () => {
    expect(resolve(11, "{cloud.zone}.{region}.example")).toEqual(expect.objectContaining({ host: "b.eu-west-1.example" }));
  });

  it("a setting from the environment is unresolved, naming the variable", () => {
    expect(resolve(1)).toEqual(unresolved("from process.env.AWS_REGION"));
    expect(resolve(9)).toEqual(unresolved("from process.env.AWS_REGION"));
  });

  it("a setting the configuration leaves out comes from the runtime environment", () => {
    expect(resolve(2)).toEqual(unresolved("the client's region comes from the runtime environment"));
    expect(resolve(3)).toEqual(unresolved("the client's region comes from the runtime environment"));
  });

  it("an unknown spread may set the endpoint (or the setting): unresolved", () => {
    expect(resolve(4)).toEqual(unresolved("the client's endpoint may come from a spread"));
    const { spec: s, call } = spec(4);
    const withoutBase = { hostTemplate: { templates: ["sqs.{region}.amazonaws.com"], configuration: { ...s.hostTemplate?.configuration, baseUrl: [] } } };
    expect(resolveDestination(withoutBase, call, p.env)).toEqual(unresolved("the client's region may come from a spread"));
  });

  it("a configured base URL overrides the template, also when only evaluation finds it", () => {
    expect(resolve(6)).toEqual(expect.objectContaining({ status: "resolved", host: "sqs.enclave.eu.internal" }));
    expect(resolve(10)).toEqual(unresolved("from process.env.SQS_ENDPOINT"));
  });

  it("a value that is not a host label is never spliced into a host name", () => {
    expect(resolve(8)).toEqual(unresolved("the client's region `evil.example/x` is not a host name label"));
  });

  it("a client whose construction is not visible is unresolved", () => {
    const call = p.calls[0] as ts.CallExpression;
    expect(resolveDestination({ hostTemplate: { templates: ["sqs.{region}.amazonaws.com"] } }, call, p.env)).toEqual(
      unresolved("the client is built elsewhere, so its region is not known here"),
    );
  });

  it("a list of templates: the first whose settings are all set decides, else the default host", () => {
    const twilio = ["api.{edge}.{region}.twilio.com", "api.{edge}.us1.twilio.com", "api.{region}.twilio.com"];
    expect(resolve(14, twilio, p.env, "api.twilio.com")).toEqual(expect.objectContaining({ host: "api.dublin.ie1.twilio.com" }));
    expect(resolve(15, twilio, p.env, "api.twilio.com")).toEqual(expect.objectContaining({ host: "api.sydney.us1.twilio.com" }));
    expect(resolve(0, twilio, p.env, "api.twilio.com")).toEqual(expect.objectContaining({ host: "api.eu-west-1.twilio.com" }));
    expect(resolve(2, twilio, p.env, "api.twilio.com")).toEqual(expect.objectContaining({ host: "api.twilio.com" }));
    expect(resolve(3, twilio, p.env, "api.twilio.com")).toEqual(expect.objectContaining({ host: "api.twilio.com" }));
    // a setting from the environment is set, but not known: unresolved rather than the default
    expect(resolve(16, twilio, p.env, "api.twilio.com")).toEqual(unresolved("from process.env.TWILIO_REGION"));
    // no default host: the first setting that is missing is named
    expect(resolve(2, twilio)).toEqual(unresolved("the client's edge comes from the runtime environment"));
  });

  it("stays symbolic inside a summary and settles per call site", () => {
    const env: EvaluationEnvironment = {
      ...p.env,
      nameValue: (node) => (ts.isIdentifier(node) && node.text === "region" ? Param(0, [], "region") : undefined),
    };
    const { spec: s, call } = spec(13);
    const value = destinationValue(s, call, env);
    expect(toDestination(value)).toEqual(unresolved("from parameter `region`"));
    expect(toDestination(substituteParams(value, () => Const("eu-west-1")))).toEqual(
      expect.objectContaining({ host: "sqs.eu-west-1.amazonaws.com" }),
    );
  });
});

describe("fixed SDK hosts and configured bases", () => {
  const call = p.calls[0] as ts.CallExpression;
  const base = (text: string) => {
    const file = new Project({ useInMemoryFileSystem: true }).createSourceFile("b.ts", `const b = ${text};`);
    return file.getVariableDeclarationOrThrow("b").compilerNode.initializer as ts.Expression;
  };

  it("the default host applies when the instance configures no base", () => {
    expect(resolveDestination({ host: "api.openai.com" }, call, p.env)).toEqual(expect.objectContaining({ host: "api.openai.com" }));
  });

  it("a configured base wins over the default host; a base from the environment is unresolved", () => {
    expect(resolveDestination({ host: "api.openai.com", base: [base(`"https://llm.enclave.eu.internal/v1"`)] }, call, p.env)).toEqual(
      expect.objectContaining({ host: "llm.enclave.eu.internal" }),
    );
    expect(resolveDestination({ host: "api.openai.com", base: [base("process.env.OPENAI_BASE_URL")] }, call, p.env)).toEqual(
      unresolved("from process.env.OPENAI_BASE_URL"),
    );
  });
});

describe("services: well-known service names that decide the host (nodemailer's `service`)", () => {
  const hosts = new Map([["gmail", "smtp.gmail.com"], ["googlemail", "smtp.gmail.com"]]);
  const mail = (i: number) => {
    const call = p.calls[i] as ts.CallExpression;
    const argument = call.arguments[0] as ts.Expression;
    // the instance row's `baseUrl: [host]` captures a literal host as the base, as provenance does
    const host = ts.isObjectLiteralExpression(argument)
      ? argument.properties.find((m): m is ts.PropertyAssignment => ts.isPropertyAssignment(m) && m.name.getText() === "host")
      : undefined;
    const spec: DestinationSpec = {
      ...(host ? { base: [host.initializer] } : {}),
      hostTemplate: { templates: [], services: { setting: ["service"], hosts }, configuration: { argument, baseUrl: ["host"] } },
    };
    return resolveDestination(spec, call, p.env);
  };

  it("a known name decides, whatever its case and spacing, and wins over a configured host", () => {
    expect(mail(17)).toEqual({ status: "resolved", host: "smtp.gmail.com", url: "https://smtp.gmail.com/" });
    expect(mail(18)).toEqual(expect.objectContaining({ host: "smtp.gmail.com" }));
  });

  it("without a service, the configured host or connection URL decides", () => {
    expect(mail(19)).toEqual(expect.objectContaining({ status: "resolved", host: "smtp.enclave.eu.internal" }));
    expect(mail(22)).toEqual(expect.objectContaining({ status: "resolved", host: "smtp.enclave.eu.internal:465" }));
  });

  it("an unknown name, a name from the environment and a configuration naming neither are unresolved", () => {
    expect(mail(20)).toEqual(unresolved("the client's service `MyRelay` is not a service flowgate knows"));
    expect(mail(21)).toEqual(unresolved("from process.env.SMTP_SERVICE"));
    expect(mail(23)).toEqual(unresolved("the client's configuration names no host or service"));
  });
});

describe("connection strings: `Key=Value;…` settings (Azure)", () => {
  const azure = (i: number, baseUrl: string, template: string) => {
    const call = p.calls[i] as ts.CallExpression;
    const argument = call.arguments[0] as ts.Expression;
    return resolveDestination(
      { hostTemplate: { templates: [template], configuration: { argument, baseUrl: [baseUrl], connectionString: true } } },
      call,
      p.env,
    );
  };

  it("the endpoint key is the base URL; other keys fill templates", () => {
    expect(azure(24, "Endpoint", "{Endpoint}")).toEqual(expect.objectContaining({ status: "resolved", host: "gateway.servicebus.windows.net" }));
    expect(azure(25, "BlobEndpoint", "{AccountName}.blob.core.windows.net")).toEqual(
      expect.objectContaining({ status: "resolved", host: "exports.blob.core.windows.net" }),
    );
  });

  it("a string without `=` is the endpoint itself; one from the environment is unresolved", () => {
    expect(azure(26, "Endpoint", "{Endpoint}")).toEqual(expect.objectContaining({ status: "resolved", host: "bus.enclave.eu.internal" }));
    expect(azure(27, "Endpoint", "{Endpoint}")).toEqual(unresolved("from process.env.SERVICEBUS_CONNECTION_STRING"));
  });
});
