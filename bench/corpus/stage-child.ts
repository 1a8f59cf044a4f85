import { measureStages } from "./stages.js";

/** `node stage-child.js REPO ROOT POLICY`: one entry's stages (stages.ts) in a fresh process, as JSON on stdout. */
const [repo, root, policyFile] = process.argv.slice(2);
if (!repo || !root || !policyFile) throw new Error("usage: stage-child.js REPO ROOT POLICY");
process.stdout.write(`${JSON.stringify(await measureStages(repo, root, policyFile))}\n`);
