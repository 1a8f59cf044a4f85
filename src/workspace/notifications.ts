import type { Notification } from "../result.js";

/** A notification about a whole file: it points at the file's first line, since SARIF wants a region to show. */
export function fileNotification(id: string, level: Notification["level"], file: string, message: string): Notification {
  return {
    id,
    level,
    message: `${file}: ${message}`,
    location: { file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
  };
}
