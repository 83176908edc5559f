// Decides whether a file's bytes are worth indexing. Binary, minified and non-UTF-8 files carry no identifiers a
// query could name, and indexing them costs memory and time, so they are skipped with the reason.
import type { SkipReason } from './types.js';

/** Lines longer than this mean generated or minified code. */
const MAX_LINE = 5000;
/** Average characters per line above which a file of any size is treated as minified. */
const MAX_AVERAGE_LINE = 300;
const decoder = new TextDecoder('utf-8', { fatal: true });

export type ContentCheck = { ok: true; text: string } | { ok: false; reason: SkipReason };

export function checkContent(bytes: Uint8Array): ContentCheck {
  const probe = Math.min(bytes.length, 8192);
  for (let i = 0; i < probe; i++) if (bytes[i] === 0) return { ok: false, reason: 'binary' };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'not_utf8' };
  }
  return looksMinified(text) ? { ok: false, reason: 'minified' } : { ok: true, text: text.replace(/^\uFEFF/, '') };
}

export function looksMinified(text: string): boolean {
  if (text.length < 1000) return false;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    longest = Math.max(longest, i - start);
    start = i + 1;
    lines++;
  }
  longest = Math.max(longest, text.length - start);
  return longest > MAX_LINE || text.length / lines > MAX_AVERAGE_LINE;
}
