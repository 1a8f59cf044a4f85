import type { SourceLocation } from "./location.js";
import type { Notification } from "./result.js";

/** The notification id of a failure of flowgate's own code (never of the scanned code). */
export const INTERNAL_ERROR = "internal-error";

/** Where flowgate's own code failed: the pipeline stage, and the scanned file and function it was working on. */
export interface InternalErrorSite {
  stage: "workspace" | "model" | "engine" | "findings" | "report" | "scan";
  /** `src/notify.ts#Notifier.send`, when the failure happened while analysing a function. */
  function?: string;
  location?: SourceLocation;
}

interface Cause {
  error: Error;
  site: InternalErrorSite;
  occurrences: number;
}

/**
 * Failures of flowgate's own code during a scan. A bug is never a per-node warning: each cause (the same exception
 * thrown from the same place in our code) becomes one error-level `internal-error` notification, whatever the number
 * of nodes it hit, the scan goes on with the rest, and the CLI exits 3 after writing the report.
 */
export class InternalErrors {
  private readonly causes = new Map<string, Cause>();

  constructor(private readonly withStack = false) {}

  record(thrown: unknown, site: InternalErrorSite): void {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const key = causeKey(error);
    const cause = this.causes.get(key);
    if (cause) cause.occurrences++;
    else this.causes.set(key, { error, site, occurrences: 1 });
  }

  /** Runs one unit of work (a finding, a report section); a failure of ours is recorded and `fallback` stands for it. */
  attempt<T>(site: InternalErrorSite, work: () => T, fallback: T): T {
    try {
      return work();
    } catch (error) {
      this.record(error, site);
      return fallback;
    }
  }

  get count(): number {
    return this.causes.size;
  }

  notifications(): Notification[] {
    return [...this.causes.values()].map(({ error, site, occurrences }) => {
      const where = [site.function ? `in ${site.function}` : site.location ? `in ${site.location.file}` : undefined, `(${site.stage})`]
        .filter(Boolean)
        .join(" ");
      const more = occurrences > 1 ? ` It happened ${occurrences} times; the first is shown.` : "";
      return {
        id: INTERNAL_ERROR,
        level: "error",
        message:
          `flowgate failed ${where}: ${error.name}: ${error.message}.${more} ` +
          `What it was analysing there may be missing from this report. This is a bug in flowgate; please report it` +
          (this.withStack ? " with the stack trace." : " (run with --debug for the stack trace)."),
        ...(site.location ? { location: site.location } : {}),
        exception: { kind: error.name, message: error.message, ...(this.withStack && error.stack ? { stack: error.stack } : {}) },
      } satisfies Notification;
    });
  }
}

/** One cause: the exception's kind and message and the first frame that threw it (so one bug hit at many nodes counts once). */
function causeKey(error: Error): string {
  const frame = (error.stack ?? "").split("\n").find((line) => line.trimStart().startsWith("at ")) ?? "";
  return `${error.name}|${error.message}|${frame.trim()}`;
}

export function internalErrorCount(notifications: readonly Notification[]): number {
  return notifications.filter((n) => n.id === INTERNAL_ERROR).length;
}
