import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LibraryModel, SinkRow } from "../../src/config/policy.js";
import { knownModels } from "../../src/config/packs.js";
import { SINK_KINDS } from "../../src/vocabulary/sink-kind.js";
import { REPO_ROOT } from "../support/paths.js";
import { readModel } from "./support/model-project.js";

/*
 * docs/catalogue.md lists every modelled call, generated from rules/models/*.yaml between two markers; this test
 * fails when the list is stale. Regenerate with: FLOWGATE_UPDATE_DOCS=1 npx vitest run test/model/catalogue-doc.test.ts
 */
const DOC = path.join(REPO_ROOT, "docs/catalogue.md");
const START = "<!-- generated from rules/models by test/model/catalogue-doc.test.ts: do not edit below -->";
const END = "<!-- end of generated catalogue -->";

function renderCatalogue(models: LibraryModel[]): string {
  const out: string[] = [];
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  for (const kind of SINK_KINDS) {
    const rows = models.flatMap((m) => m.sinks.filter((s) => s.kind === kind).map((s) => ({ model: m.id, sink: s })));
    if (rows.length === 0) continue;
    out.push(`### ${kind} (\`leak-to-${kind}\`)`, "", "| Model | Call | Data leaves through | Destination |", "| --- | --- | --- | --- |");
    for (const { model, sink } of rows) {
      out.push(`| ${model} | \`${cell(sink.call)}\` | ${argumentsText(sink)} | ${destinationText(sink)} |`);
    }
    out.push("");
  }
  const sources = models.flatMap((m) => m.sources.map((s) => ({ model: m.id, source: s })));
  out.push("### Sources", "", "| Model | Access | Keys (lower-case) | Fields of the result | Data class |", "| --- | --- | --- | --- | --- |");
  for (const { model, source } of sources) {
    const keys = source.keys ? source.keys.map((k) => `\`${k}\``).join(", ") : "—";
    const fields = source.fields ? `\`${cell(source.fields.join("."))}\`` : "—";
    out.push(`| ${model} | \`${cell(source.access)}\` | ${keys} | ${fields} | ${source.dataClass} |`);
  }
  out.push("", "### Sanitizers", "", "| Model | Call |", "| --- | --- |");
  for (const m of models) for (const s of m.sanitizers) out.push(`| ${m.id} | \`${cell(s.call)}\` |`);
  out.push("", "### Synthetic-data generators (never a real person's data)", "", "| Model | Values under |", "| --- | --- |");
  for (const m of models) for (const s of m.synthetic ?? []) out.push(`| ${m.id} | \`${cell(s.path)}\` |`);
  out.push("", "### Configuration (an operator's settings, never a user's data)", "", "| Model | Values under |", "| --- | --- |");
  for (const m of models) for (const s of m.configuration ?? []) out.push(`| ${m.id} | \`${cell(s.path)}\` |`);
  out.push("", "### The gateway's own store (a query's answer is the database's, not its arguments)", "", "| Model | Calls under | Reads | Writes (the argument they echo) | Table named by; saves (the rows' argument) |", "| --- | --- | --- | --- | --- |");
  for (const m of models) {
    for (const s of m.stores ?? []) {
      const writes = Object.entries(s.writes ?? {}).map(([w, i]) => `\`${w}\` (${i})`).join(", ") || "—";
      const saves = Object.entries(s.saves ?? {}).map(([w, i]) => `\`${w}\` (${i})`).join(", ");
      const table = s.table === undefined ? "—" : `argument ${s.table} of the store's call; ${saves || "no saves"}${s.single?.length ? `; one row: ${s.single.map((r) => `\`${r}\``).join(", ")}` : ""}${s.aggregates?.length ? `; computed, no row: ${s.aggregates.map((r) => `\`${r}\``).join(", ")}` : ""}${s.columns?.length ? `; columns named by: ${s.columns.map((r) => `\`${r}\``).join(", ")}` : ""}`;
      out.push(`| ${m.id} | \`${cell(s.path)}\` | ${s.reads.map((r) => `\`${r}\``).join(", ")} | ${writes} | ${table} |`);
    }
  }
  out.push("", "### Builder chains (callbacks get what the chain carries at these members only)", "", "| Model | Calls under | Members |", "| --- | --- | --- |");
  for (const m of models) for (const b of m.builders ?? []) out.push(`| ${m.id} | \`${cell(b.path)}\` | ${b.carries.map((c) => `\`${c}\``).join(", ")} |`);
  out.push("", "### Routers (handlers answer the client; the app keeps none of it)", "", "| Model | Calls under |", "| --- | --- |");
  for (const m of models) for (const r of m.routers ?? []) out.push(`| ${m.id} | \`${cell(r.path)}\` |`);
  out.push("", "### Channels (what a publish puts on a channel comes back to its subscribers)", "", "| Model | Calls under | Publish (message arguments) | Subscribe (callback → where the message arrives) | Topic |", "| --- | --- | --- | --- | --- |");
  for (const m of models) {
    for (const c of m.channels ?? []) {
      const publish = Object.entries(c.publish).map(([p, args]) => `\`${p}\` (${args.join(", ")})`).join(", ");
      const subscribe = Object.entries(c.subscribe)
        .map(([p, s]) => `\`${p}\` (${s.callback} → ${s.parameter === undefined ? "every parameter" : `parameter ${s.parameter}`}${s.at?.length ? ` at \`${s.at.join(".")}\`` : ""})`)
        .join(", ");
      out.push(`| ${m.id} | \`${cell(c.path)}\` | ${publish} | ${subscribe} | ${c.topic === undefined ? "—" : `argument ${c.topic}`} |`);
    }
  }
  out.push("", "### Instances, aliases and callbacks", "", "| Model | Row | Means |", "| --- | --- | --- |");
  for (const m of models) {
    for (const i of m.instances) {
      const baseUrl = i.config?.baseUrl;
      const baseText = baseUrl === undefined ? "" : baseUrl.length > 0 ? `, base URL \`${baseUrl.join(".")}\`` : ", settings only";
      const form = i.config?.connectionString ? ", a connection string" : "";
      const base = i.config ? ` (configuration: argument ${i.config.argument}${form}${baseText})` : "";
      out.push(`| ${m.id} | instance | \`${cell(i.call)}\` returns \`${cell(i.returns)}\`${base} |`);
    }
    for (const a of m.aliases ?? []) out.push(`| ${m.id} | alias | \`${cell(a.path)}\` is \`${cell(a.as)}\` |`);
    for (const c of m.callbacks ?? []) {
      out.push(`| ${m.id} | callback | functions passed to \`${cell(c.call)}\` receive ${c.parameters.map((p) => `\`${cell(p)}\``).join(", ")} |`);
    }
    for (const n of m.namedParameters ?? []) {
      const options = `the \`${n.option}\` option of argument ${n.argument ?? 0}${n.default !== undefined ? ` (\`${n.default}\` unless said)` : ""}`;
      const shift = n.shift !== undefined ? `; one later with \`${n.shift}: true\`` : "";
      out.push(`| ${m.id} | named parameter | a function passed to \`${cell(n.call)}\` gets at parameter ${n.parameter} the datum ${options} names${shift} |`);
    }
    for (const p of m.propagators) out.push(`| ${m.id} | propagator | \`${cell(p.call)}\`: ${p.from} → ${p.to}${p.pick !== undefined ? ` (only the fields named from argument ${p.pick} on)` : p.omit !== undefined ? ` (all but the fields named from argument ${p.omit} on)` : p.template !== undefined ? ` (only the fields the template in argument ${p.template} names)` : p.at !== undefined ? ` (the value at the path argument ${p.at} spells)` : p.keepFields ? " (field by field)" : ""} |`);
  }
  return out.join("\n");
}

function argumentsText(sink: SinkRow): string {
  if (sink.arguments === "all") return "every argument";
  return sink.arguments.length === 1 ? `argument ${sink.arguments[0]}` : `arguments ${sink.arguments.join(", ")}`;
}

function destinationText(sink: SinkRow): string {
  const d = sink.destination;
  if (d === undefined) return sink.kind === "log" || sink.kind === "telemetry" || sink.kind === "storage" || sink.kind === "process" ? "—" : "instance's base";
  if (d.services !== undefined) {
    const count = Object.keys(d.services.hosts).length;
    return `a well-known \`${d.services.setting}\` (${count} names) of the instance's configuration, else its base`;
  }
  if (d.hostTemplate !== undefined) {
    const templates = [d.hostTemplate].flat().map((t) => `\`${t}\``).join(", else ");
    const client = d.client ? `the client in argument ${d.client.argument}${d.client.property ? ` \`.${d.client.property.join(".")}\`` : ""}` : "the instance";
    return `${templates} from ${client}'s configuration${d.host !== undefined ? `, else \`${d.host}\`` : ""}, unless it configures a base`;
  }
  if (d.host !== undefined) return `\`${d.host}\`, unless the instance configures a base`;
  const where = d.argument !== undefined ? `argument ${d.argument}` : "instance's base";
  return d.property ? `${where} \`.${d.property.join(".")}\`` : where;
}

describe("docs/catalogue.md", () => {
  it("lists every modelled library call, source and sanitizer (generated from rules/models)", () => {
    const generated = `${START}\n\n${renderCatalogue(knownModels().map(readModel))}\n\n${END}`;
    const doc = readFileSync(DOC, "utf8");
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);
    expect(start, `docs/catalogue.md needs the marker ${START}`).toBeGreaterThanOrEqual(0);
    const current = doc.slice(start, end + END.length);
    if (process.env.FLOWGATE_UPDATE_DOCS === "1" && current !== generated) {
      writeFileSync(DOC, doc.slice(0, start) + generated + doc.slice(end + END.length));
      return;
    }
    expect(current, "docs/catalogue.md is stale: FLOWGATE_UPDATE_DOCS=1 npx vitest run test/model/catalogue-doc.test.ts").toBe(generated);
  });
});
