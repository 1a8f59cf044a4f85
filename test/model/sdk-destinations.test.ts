import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EgressPoint } from "../../src/vocabulary/flow.js";
import { scan } from "../../src/index.js";
import { renderInventory } from "../../src/report/inventory.js";
import { FIXTURES_DIR } from "../support/paths.js";

/*
 * SDK clients whose configuration decides the host (docs/vetting.md, "SDK clients"): the egress inventory of the
 * catalogue fixtures shows the resolved host or the reason, and the verdict. One scan per fixture case.
 */
async function egressOf(caseName: string) {
  const result = await scan({ root: path.join(FIXTURES_DIR, caseName) });
  const at = (file: string, line: number): EgressPoint => {
    const point = result.egress.find((e) => e.location.file === file && e.location.startLine === line);
    if (point === undefined) throw new Error(`no egress point at ${file}:${line}`);
    return point;
  };
  return { result, at };
}

const resolvedTo = (host: string, vetted: boolean) => expect.objectContaining({ destination: expect.objectContaining({ status: "resolved", host }), vetted });
const unresolvedBecause = (reason: string) =>
  expect.objectContaining({ destination: { status: "unresolved", reason: `destination could not be resolved (${reason})` }, vetted: false });

describe("AWS SDK v3 clients: endpoint, else the regional host", async () => {
  const { result, at } = await egressOf("catalogue/aws-sdk");

  it("builds the regional host from the client's region, vetted by exact host or pattern", () => {
    expect(at("src/regional-clean.ts", 21)).toEqual(resolvedTo("sqs.eu-west-1.amazonaws.com", true));
    expect(at("src/regional-clean.ts", 22)).toEqual(resolvedTo("sqs.eu-west-1.amazonaws.com", true)); // new SQS(…).sendMessage
    expect(at("src/regional-clean.ts", 23)).toEqual(resolvedTo("events.eu-central-1.amazonaws.com", true));
    expect(at("src/regional-clean.ts", 24)).toEqual(resolvedTo("firehose.eu-central-1.amazonaws.com", true));
    expect(at("src/regional-leak.ts", 31)).toEqual(resolvedTo("sqs.eu-west-2.amazonaws.com", false));
    expect(at("src/regional-leak.ts", 32)).toEqual(resolvedTo("s3.eu-west-1.amazonaws.com", false));
  });

  it("a configured endpoint wins over the region", () => {
    expect(at("src/regional-clean.ts", 25)).toEqual(resolvedTo("sqs.enclave.eu.internal", true)); // new URL(…)
    expect(at("src/regional-clean.ts", 26)).toEqual(resolvedTo("kinesis.enclave.eu.internal", true)); // endpoint parts
    expect(at("src/regional-leak.ts", 29)).toEqual(resolvedTo("sqs.partner-queue.example", false));
    expect(at("src/regional-leak.ts", 30)).toEqual(unresolvedBecause("from process.env.SQS_ENDPOINT"));
  });

  it("lib-storage's new Upload({ client }) goes where the client it is given goes", () => {
    expect(at("src/regional-clean.ts", 28)).toEqual(resolvedTo("s3.enclave.eu.internal", true));
    expect(at("src/regional-leak.ts", 33)).toEqual(resolvedTo("s3.eu-west-1.amazonaws.com", false));
  });

  it("a region from the environment, or none, leaves the destination unresolved with the reason", () => {
    expect(at("src/regional-leak.ts", 26)).toEqual(unresolvedBecause("from process.env.AWS_REGION"));
    expect(at("src/regional-leak.ts", 27)).toEqual(unresolvedBecause("the client's region comes from the runtime environment"));
    expect(at("src/regional-leak.ts", 28)).toEqual(unresolvedBecause("the client's region comes from the runtime environment"));
    expect(at("src/regional-leak.ts", 34)).toEqual(unresolvedBecause("from process.env.EVENTS_REGION"));
    expect(at("src/injected.ts", 10)).toEqual(unresolvedBecause("the client is built elsewhere, so its region is not known here"));
  });

  it("the inventory shows the host or the reason, and the verdict", () => {
    const text = renderInventory(result);
    expect(text).toMatch(/SQSClient\.send +https:\/\/sqs\.eu-west-1\.amazonaws\.com\/ +vetted +phone-number/);
    expect(text).toMatch(/KinesisClient\.send +destination could not be resolved \(the client's region comes from the runtime environment\) +NOT VETTED +device-id/);
  });

  it("findings say where the data goes or why that is unknown", () => {
    const messages = result.findings.map((f) => f.message);
    expect(messages).toContainEqual(expect.stringContaining(" to sqs.eu-west-2.amazonaws.com, a host that is not vetted"));
    expect(messages).toContainEqual(expect.stringContaining("destination could not be resolved (from process.env.AWS_REGION)"));
  });
});

describe("vendor SDKs: a configured base wins over the default host", async () => {
  const openai = await egressOf("catalogue/openai");
  const pubsub = await egressOf("catalogue/google-pubsub");

  it("openai: baseURL decides; without one, api.openai.com", () => {
    expect(openai.at("src/configured.ts", 10)).toEqual(resolvedTo("llm.enclave.eu.internal", true));
    expect(openai.at("src/configured.ts", 12)).toEqual(resolvedTo("llm.partner.example", false));
    expect(openai.at("src/configured.ts", 13)).toEqual(unresolvedBecause("from process.env.LLM_BASE_URL"));
    expect(openai.at("src/leak.ts", 4)).toEqual(resolvedTo("api.openai.com", false));
  });

  it("AzureOpenAI: the configured endpoint, else unresolved (never api.openai.com)", () => {
    expect(openai.at("src/azure.ts", 9)).toEqual(resolvedTo("gateway-eu.openai.azure.com", true));
    expect(openai.at("src/azure.ts", 10)).toEqual(unresolvedBecause("the client's endpoint comes from the runtime environment"));
  });

  it("the configured base follows derived objects (pubsub.topic(…))", () => {
    expect(pubsub.at("src/configured.ts", 8)).toEqual(resolvedTo("pubsub.enclave.eu.internal:8085", true));
    expect(pubsub.at("src/configured.ts", 10)).toEqual(unresolvedBecause("from process.env.PUBSUB_ENDPOINT"));
    expect(pubsub.at("src/leak.ts", 4)).toEqual(resolvedTo("pubsub.googleapis.com", false));
  });
});

describe("clients with several hosts are as vetted as their least vetted host", async () => {
  const kafka = await egressOf("catalogue/kafkajs");
  const es = await egressOf("catalogue/elasticsearch");

  it("kafkajs brokers: literal, named and spread const arrays", () => {
    expect(kafka.at("src/brokers.ts", 12)).toEqual(resolvedTo("kafka-1.enclave.eu.internal:9092", true));
    expect(kafka.at("src/brokers.ts", 14)).toEqual(resolvedTo("kafka.dr.shared.example:9092", false));
    expect(kafka.at("src/brokers.ts", 16)).toEqual(resolvedTo("kafka-1.enclave.eu.internal:9092", true));
    expect(kafka.at("src/brokers.ts", 18)).toEqual(unresolvedBecause("from process.env.EXTRA_BROKER"));
  });

  it("elasticsearch node lists", () => {
    expect(es.at("src/cluster.ts", 8)).toEqual(resolvedTo("es-1.enclave.eu.internal:9200", true));
    expect(es.at("src/cluster.ts", 9)).toEqual(resolvedTo("search.saas.example:9243", false));
  });
});

describe("twilio: edge and region choose the regional host", async () => {
  const { at } = await egressOf("catalogue/twilio");

  it("the first template whose settings are set, else api.twilio.com", () => {
    expect(at("src/regional.ts", 11)).toEqual(resolvedTo("api.dublin.ie1.twilio.com", true));
    expect(at("src/regional.ts", 12)).toEqual(resolvedTo("verify.dublin.ie1.twilio.com", true));
    expect(at("src/regional.ts", 13)).toEqual(resolvedTo("api.sydney.us1.twilio.com", false));
    expect(at("src/regional.ts", 14)).toEqual(unresolvedBecause("from process.env.TWILIO_REGION"));
    expect(at("src/leak.ts", 4)).toEqual(resolvedTo("api.twilio.com", false));
  });
});
