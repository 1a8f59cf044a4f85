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

/**
 * What leaves the window is subtracted with the weight 37^WINDOW mod 2^64; its product with each ASCII character is
 * computed once, as [high, low] 32-bit halves at [2c, 2c + 1] (other characters are multiplied as they come).
 */
const OUTGOING = outgoingProducts();

function outgoingProducts(): Float64Array {
  let hi = 0;
  let lo = 1;
  for (let i = 0; i < WINDOW; i++) {
    const low = lo * BASE;
    hi = (hi * BASE + Math.floor(low / TWO_32)) % TWO_32;
    lo = low % TWO_32;
  }
  const table = new Float64Array(256);
  for (let c = 0; c < 128; c++) {
    const low = lo * c;
    table[2 * c] = (hi * c + Math.floor(low / TWO_32)) % TWO_32;
    table[2 * c + 1] = low % TWO_32;
  }
  return table;
}

function toHex(hi: number, lo: number): string {
  return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0");
}

/** Per file (by `fileOf` of a location, its `file` by default), the lines findings there start on: `lineHashes`' `lines`. */
export function startLines(locations: Iterable<{ file: string; startLine: number }>, fileOf: (file: string) => string | undefined = (file) => file): Map<string, Set<number>> {
  const lines = new Map<string, Set<number>>();
  for (const { file, startLine } of locations) {
    const key = fileOf(file);
    if (key === undefined) continue;
    let set = lines.get(key);
    if (set === undefined) lines.set(key, (set = new Set()));
    set.add(startLine);
  }
  return lines;
}

/**
 * Past this many wanted lines in a file, `lineHashes` counts the occurrences of every line's hash in a map (a string per
 * line) instead of comparing each wanted line's hash with the lines above it.
 */
const FEW_LINES = 32;

/**
 * The hash of every line of `text` (index 0 = line 1), or of lines 1 to `lines` (a number), or of the lines in `lines`
 * (a set; the array holds nothing at the others): a line's hash needs the lines above it (the occurrence count) and the
 * window after its start, not the rest of the file, and a report wants the lines its findings start on. A text ending in
 * a newline has one more, empty, line, as in the upload action. Products are computed on two 32-bit halves in locals
 * (mod 2^64, every partial product below 2^53 so doubles stay exact) without allocating per character: a scan hashes
 * every file that has a finding. With a few wanted lines, a line's two halves are kept in two arrays and only the
 * wanted ones become strings, their occurrence counted among the lines above: the 50k gateway's 533 findings start on
 * 533 of the 19,216 lines hashed for them. With the halves in a typed array (below), its 293 files' hashes allocate
 * 2.8 MB, 24.3 MB before both.
 */
export function lineHashes(text: string, lines: number | ReadonlySet<number> = Infinity): string[] {
  const wanted = typeof lines === "number" || lines.size > FEW_LINES ? undefined : lines;
  let lastLine = 0;
  if (typeof lines === "number") lastLine = lines;
  else for (const l of lines) lastLine = Math.max(lastLine, l);
  const weightHi = OUTGOING[2] as number; // 37^WINDOW × 1
  const weightLo = OUTGOING[3] as number;
  const window = new Array<number>(WINDOW).fill(0);
  const lineAt = new Array<number>(WINDOW).fill(-1);
  const hashes: string[] = [];
  const seen = new Map<string, number>();
  // with `wanted`: each line's hash as its two halves, by line (index 0 = line 1)
  const his: number[] = [];
  const los: number[] = [];
  // the hash's two halves, [high, low]: in a typed array, since the closures below share them and a shared variable
  // holding a number above 2^30 is boxed anew at each assignment (a heap number per character: 21 MB for the 50k
  // gateway's files with findings)
  const half = new Uint32Array(2);
  let index = 0;
  let line = 0;
  let lineStart = true;
  let prevCR = false;
  let done = false;

  const emit = (): void => {
    const hashed = lineAt[index] as number;
    const hi = half[0] as number;
    const lo = half[1] as number;
    if (wanted === undefined) {
      const hex = toHex(hi, lo);
      const n = (seen.get(hex) ?? 0) + 1;
      seen.set(hex, n);
      hashes[hashed - 1] = `${hex}:${n}`;
    } else {
      his.push(hi);
      los.push(lo);
      if (wanted.has(hashed)) {
        let n = 1;
        for (let i = 0; i < hashed - 1; i++) if (los[i] === lo && his[i] === hi) n++;
        hashes[hashed - 1] = `${toHex(hi, lo)}:${n}`;
      }
    }
    lineAt[index] = -1;
    // lines are hashed in order: the last one wanted is the end
    if (hashed >= lastLine) done = true;
  };

  // hash = hash × 37 + incoming − 37^WINDOW × outgoing   (mod 2^64)
  const push = (c: number): void => {
    const outgoing = window[index] as number;
    window[index] = c;
    // ×37 + c: the low half's product is below 2^38, so its carry is exact; `>>> 0` is mod 2^32, Math.imul the high
    // half's product mod 2^32
    const low = (half[1] as number) * BASE + c;
    let hi = (Math.imul(half[0] as number, BASE) + Math.floor(low / TWO_32)) >>> 0;
    let lo = low >>> 0;
    if (outgoing !== 0) {
      let subHi: number;
      let subLo: number;
      if (outgoing < 128) {
        subHi = OUTGOING[2 * outgoing] as number;
        subLo = OUTGOING[2 * outgoing + 1] as number;
      } else {
        const product = weightLo * outgoing;
        subHi = (Math.imul(weightHi, outgoing) + Math.floor(product / TWO_32)) >>> 0;
        subLo = product >>> 0;
      }
      const borrow = lo < subLo ? 1 : 0;
      lo = (lo - subLo) >>> 0;
      hi = (hi - subHi - borrow) >>> 0;
    }
    half[0] = hi;
    half[1] = lo;
    index = index === WINDOW - 1 ? 0 : index + 1;
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

  for (let i = 0; i < text.length && !done; i++) take(text.charCodeAt(i));
  if (done) return hashes;
  take(EOF_MARK);
  for (let i = 0; i < WINDOW && !done; i++) {
    if (lineAt[index] !== -1) emit();
    push(0);
  }
  return hashes;
}
