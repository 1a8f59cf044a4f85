import { describe, expect, it } from "vitest";
import { restoreDeferredEnvironment, scanProcessEnvironment } from "../../src/startup/scan-environment.js";

// The environment the launcher gives a scan's process (src/startup/scan-environment.ts); the processes themselves are
// tested in snapshot.test.ts.
describe("the scan process's environment", () => {
  it("sets NODE_EXTRA_CA_CERTS aside for the scan's process, which puts it back as the user set it", () => {
    const user = { PATH: "/usr/bin", NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/ca-certificates.crt", MALLOC_ARENA_MAX: "4" };
    const scan = scanProcessEnvironment(user, { FLOWGATE_SNAPSHOT_STARTED_FD: "3" });
    expect(scan.NODE_EXTRA_CA_CERTS).toBeUndefined();
    // the user's own settings win over the scan's defaults; the launcher's own variables are added
    expect(scan).toMatchObject({ PATH: "/usr/bin", MALLOC_ARENA_MAX: "4", GLIBC_TUNABLES: "glibc.malloc.hugetlb=1", FLOWGATE_SNAPSHOT_STARTED_FD: "3" });
    expect(user.NODE_EXTRA_CA_CERTS).toBe("/etc/ssl/certs/ca-certificates.crt");
    restoreDeferredEnvironment(scan);
    expect(scan.NODE_EXTRA_CA_CERTS).toBe("/etc/ssl/certs/ca-certificates.crt");
    expect(Object.keys(scan).filter((name) => name.startsWith("FLOWGATE_DEFERRED"))).toEqual([]);
  });

  it("changes nothing where the variable is not set", () => {
    const scan = scanProcessEnvironment({ PATH: "/usr/bin" });
    expect(scan).toEqual({ PATH: "/usr/bin", MALLOC_ARENA_MAX: "2", GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" });
    restoreDeferredEnvironment(scan);
    expect(scan).toEqual({ PATH: "/usr/bin", MALLOC_ARENA_MAX: "2", GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" });
  });
});
