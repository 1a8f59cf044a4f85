/**
 * GitHub code scanning's `primaryLocationLineHash`, computed the way its upload action does, so SARIF uploaded
 * through the REST API (which does not compute it) still matches alerts across commits.
 *
 * The algorithm: a rolling polynomial hash (base 37, modulo 2^64) over a window of the next 100 characters of the
 * file, spaces and tabs skipped and CR / CRLF read as LF, with an end-of-file marker (U+FFFF) and zero padding after the
 * last character. The hash of a line is the window's value when the window starts at that line's first character, so
 * it depends on the line and what follows it, not on the line number. Repeated hashes get an occurrence suffix
 * (`<hex>:<n>`, counted from the top of the file).
 *
 * 64-bit arithmetic is done on two 32-bit halves in plain numbers: BigInt per character is several times slower, and
 * files can be megabytes long.
 */

const WINDOW = 100;
const BASE = 37;
const TAB = 0x09;
const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;
const EOF_MARK = 0xffff;
const TWO_32 = 0x1_0000_0000;

/** 37^WINDOW mod 2^64, as [high, low] 32-bit halves: what leaves the window is subtracted with this weight. */
function outgoingWeight(): [number, number] {
  let hi = 0;
  let lo = 1;
  for (let i = 0; i < WINDOW; i++) [hi, lo] = mulSmall(hi, lo, BASE);
  return [hi, lo];
}

/** (hi:lo) × m mod 2^64 for m < 2^16: every partial product stays below 2^53, so doubles are exact. */
function mulSmall(hi: number, lo: number, m: number): [number, number] {
  const low = lo * m;
  const carry = Math.floor(low / TWO_32);
  return [(hi * m + carry) % TWO_32, low % TWO_32];
}

function toHex(hi: number, lo: number): string {
  return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0");
}

/**
 * The hash of every line of `text` (index 0 = line 1). A text ending in a newline has one more, empty, line, as in the
 * upload action.
 */
export function lineHashes(text: string): string[] {
  const [weightHi, weightLo] = outgoingWeight();
  const window = new Array<number>(WINDOW).fill(0);
  const lineAt = new Array<number>(WINDOW).fill(-1);
  const hashes: string[] = [];
  const seen = new Map<string, number>();
  let hi = 0;
  let lo = 0;
  let index = 0;
  let line = 0;
  let lineStart = true;
  let prevCR = false;

  const emit = (): void => {
    const hex = toHex(hi, lo);
    const n = (seen.get(hex) ?? 0) + 1;
    seen.set(hex, n);
    hashes[(lineAt[index] as number) - 1] = `${hex}:${n}`;
    lineAt[index] = -1;
  };

  // hash = hash × 37 + incoming − 37^WINDOW × outgoing   (mod 2^64)
  const push = (c: number): void => {
    const outgoing = window[index] as number;
    window[index] = c;
    [hi, lo] = mulSmall(hi, lo, BASE);
    lo += c;
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi = (hi + 1) % TWO_32;
    }
    if (outgoing !== 0) {
      const [subHi, subLo] = mulSmall(weightHi, weightLo, outgoing);
      lo -= subLo;
      let borrow = 0;
      if (lo < 0) {
        lo += TWO_32;
        borrow = 1;
      }
      hi = (((hi - subHi - borrow) % TWO_32) + TWO_32) % TWO_32;
    }
    index = (index + 1) % WINDOW;
  };

  const take = (code: number): void => {
    if (code === SPACE || code === TAB || (prevCR && code === LF)) {
      prevCR = false;
      return;
    }
    let c = code;
    if (c === CR) {
      c = LF;
      prevCR = true;
    } else {
      prevCR = false;
    }
    if (lineAt[index] !== -1) emit();
    if (lineStart) {
      lineStart = false;
      line++;
      lineAt[index] = line;
    }
    if (c === LF) lineStart = true;
    push(c);
  };

  for (let i = 0; i < text.length; i++) take(text.charCodeAt(i));
  take(EOF_MARK);
  for (let i = 0; i < WINDOW; i++) {
    if (lineAt[index] !== -1) emit();
    push(0);
  }
  return hashes;
}
