import { describe, expect, it } from "vitest";
import { cacheKey } from "../../src/cache/cache-key.js";
import { loadPolicy } from "../../src/config/load-policy.js";
import { DEFAULT_BUDGETS } from "../../src/dataflow/budgets.js";
import type { Tsconfigs } from "../../src/workspace/tsconfigs.js";
import type { Workspace } from "../../src/workspace/workspace.js";

/*
 * The policy's part of a cache entry's environment: its library models' text is written once per list of models
 * (per-models.ts), the rest once per policy — a policy that names the same models with something else changed, or
 * other models, is another environment, and one loaded again with the same text is the same.
 */
const root = "/__flowgate_test__/policy-key";
const environment = (yaml: string) => {
  const policy = loadPolicy({ root, source: { description: "test", read: (file) => (file === "flowgate.config.yaml" ? yaml : undefined) } });
  const workspace = { root, ownPackages: new Set<string>(), pathAliases: [], loaded: [], files: [] } as unknown as Workspace;
  const tsconfigs = { projectOptions: {}, optionsFor: () => ({}) } as unknown as Tsconfigs;
  return { models: policy.models, key: cacheKey({ workspace, policy, budgets: DEFAULT_BUDGETS, tsconfigs }).environment };
};

describe("the policy in the cache key", () => {
  const plain = environment("extends: recommended\n");

  it("is the same for the same policy loaded again, whose models are the same objects", () => {
    const again = environment("extends: recommended\n");
    expect(again.models).toEqual(plain.models);
    expect(again.models.every((m, i) => m === plain.models[i])).toBe(true);
    expect(again.key).toBe(plain.key);
  });

  it("changes with what the policy says beside its models, and with its models", () => {
    const vetted = environment('extends: recommended\nvetted:\n  hosts: ["*.enclave.internal"]\n');
    expect(vetted.models.every((m, i) => m === plain.models[i])).toBe(true);
    expect(vetted.key).not.toBe(plain.key);
    const sinks = environment('extends: recommended\nsinks:\n  - { id: audit-export, kind: network, call: "src/audit.ts#exportRecord", argument: 0 }\n');
    expect(sinks.models.length).toBe(plain.models.length + 1);
    expect(sinks.key).not.toBe(plain.key);
    expect(sinks.key).not.toBe(vetted.key);
  });
});
