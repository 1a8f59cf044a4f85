import { describe, expect, it } from "vitest";
import { LEAK, scanTree } from "./scan-tree.js";

/**
 * Every kind of policy error stops the scan before anything is read: exit 2, one line per problem with
 * file:line:column, and no report at all (a half-configured scan must not look like a clean one).
 */
const policies: Record<string, { yaml: string; where: RegExp; says: RegExp }> = {
  "bad YAML": { yaml: "vetted:\n  hosts: [unclosed\n", where: /flowgate\.config\.yaml:\d+:\d+/, says: /./ },
  "tabs and duplicate keys": { yaml: "extends: recommended\nextends: strict\n", where: /flowgate\.config\.yaml:2:\d+/, says: /./ },
  "wrong type": { yaml: "vetted:\n  hosts: api.partner.example\n", where: /flowgate\.config\.yaml:2:\d+/, says: /list|array|sequence/i },
  "unknown key": { yaml: "vetted:\n  host: [api.partner.example]\n", where: /flowgate\.config\.yaml:2:3/, says: /unknown key/ },
  "bad host pattern": { yaml: "vetted:\n  hosts:\n    - https://api.partner.example/v1\n", where: /flowgate\.config\.yaml:3:\d+/, says: /write only the host/ },
  "wildcard in the middle": { yaml: "vetted:\n  hosts: ['api.*.example']\n", where: /flowgate\.config\.yaml:2:\d+/, says: /first label/ },
  "invalid module#path": { yaml: "sanitizers: ['src/privacy.ts']\n", where: /flowgate\.config\.yaml:1:\d+/, says: /#/ },
  "extends an unknown pack": { yaml: "extends: recomended\n", where: /flowgate\.config\.yaml:1:\d+/, says: /recommended/ },
  "a JavaScript plugin": { yaml: "extends: ./plugin.js\n", where: /flowgate\.config\.yaml:1:\d+/, says: /./ },
  "empty data class id": { yaml: "dataClasses:\n  - id: ''\n", where: /flowgate\.config\.yaml:2:\d+/, says: /./ },
  "not a mapping": { yaml: "- just\n- a list\n", where: /flowgate\.config\.yaml:1:\d+/, says: /./ },
};

describe("policy errors: exit 2, file:line:column, nothing scanned", () => {
  for (const [name, { yaml, where, says }] of Object.entries(policies)) {
    it(name, async () => {
      const scan = await scanTree({ "flowgate.config.yaml": yaml, "src/leak.ts": LEAK, "plugin.js": "module.exports = {};\n" });
      expect(scan.status).toBe(2);
      expect(scan.stderr).toMatch(where);
      expect(scan.stderr).toMatch(says);
      expect(scan.stderr).not.toMatch(/internal error/);
      expect(scan.sarifText).toBe("");
    });
  }
});
