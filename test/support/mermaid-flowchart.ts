/*
 * A strict reader of the Mermaid flowchart subset flowgate writes (src/report/data-map.ts). Mermaid's own parser needs
 * a browser DOM and Node 22, and weighs 200 MB: too much for a devDependency. Anything outside the subset is an error
 * here, so the data map cannot drift into syntax nobody checked:
 *
 *   flowchart LR
 *     classDef NAME prop:value,prop:value
 *     ID["LABEL"]:::CLASS                 a node; LABEL holds no raw " ` # % & < > { } (only #NN; entity codes)
 *     ID ARROW ID                         ARROW is -->, ==> or -.->
 *     linkStyle N,N,… prop:value,…        styles edges by index (0-based, in order of appearance; declared before)
 *     class ID,ID,… CLASS                 adds a class to nodes declared before
 *
 * It also checks what Mermaid needs to draw the chart: ids declared once and before use, classes defined, no reserved
 * id, and the limits GitHub's renderer enforces (50,000 characters, 500 edges).
 */

export interface MermaidNode {
  id: string;
  /** The label as the reader sees it (entity codes decoded). */
  label: string;
  className: string;
  /** Classes added by `class` lines. */
  extraClasses: string[];
}

export interface MermaidEdge {
  from: string;
  to: string;
  arrow: "-->" | "==>" | "-.->";
  /** Set by a linkStyle line. */
  style?: string;
}

export interface MermaidFlowchart {
  classDefs: Map<string, string>;
  nodes: Map<string, MermaidNode>;
  edges: MermaidEdge[];
}

const CLASS_DEF = /^ {2}classDef ([a-zA-Z]+) ((?:[a-z-]+:[#a-z0-9 .]+)(?:,[a-z-]+:[#a-z0-9 .]+)*)$/;
const NODE = /^ {2}([a-z]+[0-9]*)\["((?:[^"`#%&<>{}\n]|#[0-9]+;)*)"\]:::([a-zA-Z]+)$/;
const CLASS = /^ {2}class ([a-z]+[0-9]*(?:,[a-z]+[0-9]*)*) ([a-zA-Z]+)$/;
const LINK_STYLE = /^ {2}linkStyle ([0-9]+(?:,[0-9]+)*) ((?:[a-z-]+:[#a-z0-9 .]+)(?:,[a-z-]+:[#a-z0-9 .]+)*)$/;
const EDGE = /^ {2}([a-z]+[0-9]*) (-->|==>|-\.->) ([a-z]+[0-9]*)$/;
const RESERVED_IDS = new Set(["end", "graph", "flowchart", "subgraph", "style", "class", "classDef", "click", "linkStyle"]);

export function parseMermaidFlowchart(text: string): MermaidFlowchart {
  if (text.length >= 50_000) throw new Error(`flowchart of ${text.length} characters: Mermaid refuses 50,000 and more`);
  const [first, ...rest] = text.replace(/\n$/, "").split("\n");
  if (first !== "flowchart LR") throw new Error(`first line is not "flowchart LR": ${JSON.stringify(first)}`);
  const chart: MermaidFlowchart = { classDefs: new Map(), nodes: new Map(), edges: [] };
  rest.forEach((line, i) => {
    const where = `line ${i + 2}: ${JSON.stringify(line)}`;
    let m: RegExpExecArray | null;
    if ((m = CLASS_DEF.exec(line))) {
      if (chart.classDefs.has(m[1]!)) throw new Error(`${where}: class defined twice`);
      chart.classDefs.set(m[1]!, m[2]!);
    } else if ((m = NODE.exec(line))) {
      const [, id, label, className] = m as unknown as [string, string, string, string];
      if (RESERVED_IDS.has(id)) throw new Error(`${where}: reserved word as a node id`);
      if (chart.nodes.has(id)) throw new Error(`${where}: node declared twice`);
      if (!chart.classDefs.has(className)) throw new Error(`${where}: class ${className} is not defined`);
      chart.nodes.set(id, { id, label: label.replace(/#([0-9]+);/g, (_, code: string) => String.fromCodePoint(Number(code))), className, extraClasses: [] });
    } else if ((m = EDGE.exec(line))) {
      const [, from, arrow, to] = m as unknown as [string, string, MermaidEdge["arrow"], string];
      for (const id of [from, to]) if (!chart.nodes.has(id)) throw new Error(`${where}: node ${id} is not declared`);
      chart.edges.push({ from, to, arrow });
    } else if ((m = CLASS.exec(line))) {
      if (!chart.classDefs.has(m[2]!)) throw new Error(`${where}: class ${m[2]} is not defined`);
      for (const id of m[1]!.split(",")) {
        const node = chart.nodes.get(id);
        if (!node) throw new Error(`${where}: node ${id} is not declared`);
        node.extraClasses.push(m[2]!);
      }
    } else if ((m = LINK_STYLE.exec(line))) {
      for (const index of m[1]!.split(",").map(Number)) {
        const edge = chart.edges[index];
        if (!edge) throw new Error(`${where}: no edge ${index}`);
        if (edge.style !== undefined) throw new Error(`${where}: edge ${index} styled twice`);
        edge.style = m[2]!;
      }
    } else {
      throw new Error(`${where}: not in the flowchart subset flowgate writes`);
    }
  });
  if (chart.edges.length >= 500) throw new Error(`${chart.edges.length} edges: Mermaid refuses 500 and more`);
  return chart;
}

/** The ```mermaid blocks of a markdown text, in order. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}
