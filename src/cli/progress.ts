import type { ScanProgress } from "../scan.js";

/** Writes the progress line to a terminal. */
export interface ProgressLine {
  update(progress: ScanProgress): void;
  /** Erases the line (if one was drawn) so the report starts on a clean line. */
  done(): void;
}

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  enabled: boolean;
  /** Nothing is drawn before this many milliseconds: quick scans stay silent. */
  delayMs?: number;
  now?: () => number;
}

const REDRAW_INTERVAL_MS = 100;

/**
 * One line on stderr, rewritten in place with `\r` (no spinner library: a scan's own progress events drive it, and
 * the analysis is synchronous, so a timer would not fire anyway).
 */
export function createProgressLine(options: ProgressOptions): ProgressLine {
  const now = options.now ?? Date.now;
  const started = now();
  const delay = options.delayMs ?? 1000;
  let files = 0;
  let functions = 0;
  let lastDrawn = -Infinity;
  let drawn = false;
  return {
    update(progress) {
      if (!options.enabled) return;
      if (progress.phase === "loading") files = progress.files;
      else functions = progress.functionsAnalysed;
      const t = now();
      if (t - started < delay || t - lastDrawn < REDRAW_INTERVAL_MS) return;
      lastDrawn = t;
      drawn = true;
      const line = `flowgate: ${files} files loaded, ${functions} functions analysed`;
      // A terminal that reports no width (0) gets the whole line rather than a stub.
      const width = options.stream.columns || 80;
      options.stream.write(`\r${line.slice(0, Math.max(20, width - 1))}\x1b[K`);
    },
    done() {
      if (drawn) options.stream.write("\r\x1b[K");
      drawn = false;
    },
  };
}
