import { scan } from "../scan.js";
import { renderSarif } from "../report/sarif.js";

/** Entry point; returns the exit code. (Skeleton: commander-based CLI lands with issue #2.) */
export async function main(argv: string[]): Promise<number> {
  const root = argv[3] ?? ".";
  const result = await scan({ root });
  process.stdout.write(renderSarif(result));
  return 0;
}
