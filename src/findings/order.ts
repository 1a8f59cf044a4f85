import { compareLocations, type SourceLocation } from "../location.js";
import type { Notification } from "../result.js";

/** Code-unit order of strings: the same on every machine and locale (localeCompare is not). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Locations in file order; absent ones first. */
export function compareOptionalLocations(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (a && b) return compareLocations(a, b);
  return a ? 1 : b ? -1 : 0;
}

/** Notifications by place, then id, then message: the order they reach output in, whatever order stages made them. */
export function compareNotifications(a: Notification, b: Notification): number {
  return compareOptionalLocations(a.location, b.location) || compareStrings(a.id, b.id) || compareStrings(a.message, b.message);
}
