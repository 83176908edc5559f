// Renames functions a WebAssembly module imports, before it is instantiated. The tree-sitter-bash grammar shipped in
// tree-sitter-wasms imports `isalpha`, which the web-tree-sitter 0.21 runtime does not export: the first `case`
// statement parsed calls an undefined stub and leaves the parser unusable. Pointing the import at the runtime's
// `iswalpha` (same signature, same answer for the ASCII the scanner asks about) fixes it without rebuilding the grammar.

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const b = bytes[i++];
    if (b === undefined) throw new Error('truncated WebAssembly module');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, i];
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

const IMPORT_SECTION = 2;

/** Skips one import's description (after its kind byte), returning the index after it. */
function skipImportDesc(bytes: Uint8Array, kind: number, at: number): number {
  if (kind === 0) return readLeb(bytes, at)[1]; // function: type index
  if (kind === 1) {
    // table: reftype, limits
    const flags = bytes[at + 1]!;
    let i = readLeb(bytes, at + 2)[1];
    if (flags & 1) i = readLeb(bytes, i)[1];
    return i;
  }
  if (kind === 2) {
    // memory: limits
    const flags = bytes[at]!;
    let i = readLeb(bytes, at + 1)[1];
    if (flags & 1) i = readLeb(bytes, i)[1];
    return i;
  }
  if (kind === 3) return at + 2; // global: valtype, mutability
  throw new Error(`unknown import kind ${kind}`);
}

/** The module with each import field named in `renames` renamed; other bytes are kept as they are. */
export function renameImports(bytes: Uint8Array, renames: Readonly<Record<string, string>>): Uint8Array<ArrayBuffer> {
  const out: Uint8Array[] = [bytes.subarray(0, 8)];
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i]!;
    const [size, bodyStart] = readLeb(bytes, i + 1);
    const bodyEnd = bodyStart + size;
    if (id !== IMPORT_SECTION) {
      out.push(bytes.subarray(i, bodyEnd));
      i = bodyEnd;
      continue;
    }
    const body: number[] = [];
    let [count, j] = readLeb(bytes, bodyStart);
    body.push(...leb(count));
    for (; count > 0; count--) {
      const [modLen, modAt] = readLeb(bytes, j);
      const mod = bytes.subarray(modAt, modAt + modLen);
      const [fieldLen, fieldAt] = readLeb(bytes, modAt + modLen);
      const field = dec.decode(bytes.subarray(fieldAt, fieldAt + fieldLen));
      const kindAt = fieldAt + fieldLen;
      const descEnd = skipImportDesc(bytes, bytes[kindAt]!, kindAt + 1);
      const renamed = enc.encode(renames[field] ?? field);
      body.push(...leb(modLen), ...mod, ...leb(renamed.length), ...renamed, ...bytes.subarray(kindAt, descEnd));
      j = descEnd;
    }
    out.push(Uint8Array.from([id, ...leb(body.length), ...body]));
    i = bodyEnd;
  }
  const result = new Uint8Array(out.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of out) {
    result.set(part, at);
    at += part.length;
  }
  return result;
}
