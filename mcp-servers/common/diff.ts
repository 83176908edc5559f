// A small unified diff over lines (Myers' O(ND) algorithm, 3 lines of context), enough for review and traces.
// Lines keep their terminators when compared, so a line-ending change is a change; the output keeps a CR (as
// `diff -u` does, so the diff applies byte for byte) and marks a last line without a newline.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Beyond this many differing lines the middle is shown as one replaced block instead of a minimal script. */
const MAX_EDIT_DISTANCE = 1000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

/** Myers' greedy shortest edit script between a and b; undefined when it would exceed maxD. */
function myers(a: readonly string[], b: readonly string[], maxD: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxD);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], a: readonly string[], b: readonly string[], offset: number, dEnd: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x]! });
      y--;
    }
    if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
    else ops.push({ kind: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x]! });
    y--;
  }
  return ops.reverse();
}

export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const middle = myers(midA, midB, MAX_EDIT_DISTANCE) ?? [...midA.map((line): Op => ({ kind: '-', line })), ...midB.map((line): Op => ({ kind: '+', line }))];
  return [...a.slice(0, start).map((line): Op => ({ kind: ' ', line })), ...middle, ...a.slice(endA).map((line): Op => ({ kind: ' ', line }))];
}

function render(op: Op): string {
  const body = op.line.endsWith('\n') ? op.line.slice(0, -1) : op.line;
  const text = op.kind + body + '\n';
  return op.line.endsWith('\n') ? text : text + '\\ No newline at end of file\n';
}

function range(start: number, count: number): string {
  // `diff -u` names the line before an empty range.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/**
 * Unified diff from `oldText` to `newText` for `path`. `oldText === null` is a new file, `newText === null` a
 * deletion. Returns '' when the texts are equal.
 */
export function unifiedDiff(path: string, oldText: string | null, newText: string | null, context = 3): string {
  const ops = diffLines(splitLines(oldText ?? ''), splitLines(newText ?? ''));
  if (!ops.some((op) => op.kind !== ' ')) return '';
  const header = `--- ${oldText === null ? '/dev/null' : `a/${path}`}\n+++ ${newText === null ? '/dev/null' : `b/${path}`}\n`;

  // Positions of each op in the old and new files, then hunks: runs of changes with up to 2*context between them.
  const oldPos: number[] = [];
  const newPos: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldPos.push(o);
    newPos.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  const changed = ops.flatMap((op, i) => (op.kind === ' ' ? [] : [i]));
  let out = header;
  let i = 0;
  while (i < changed.length) {
    let last = changed[i]!;
    let j = i + 1;
    while (j < changed.length && changed[j]! - last <= 2 * context + 1) last = changed[j++]!;
    const from = Math.max(0, changed[i]! - context);
    const to = Math.min(ops.length, last + context + 1);
    const slice = ops.slice(from, to);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    out += `@@ -${range(oldPos[from]!, oldCount)} +${range(newPos[from]!, newCount)} @@\n`;
    out += slice.map(render).join('');
    i = j;
  }
  return out;
}
