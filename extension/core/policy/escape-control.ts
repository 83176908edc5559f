// Text shown to a user for approval must read as what will run. A carriage return lets a terminal draw `npm test` over
// the real line; ANSI escapes move the cursor or recolour; bidirectional overrides reorder what is drawn; zero-width
// and other invisible characters hide in plain sight. Each is shown as a visible `\uXXXX` escape instead, so the
// approval text and the command can only differ visibly. Newlines and tabs are kept (a multi-line command is shown
// on several lines); callers that need one line replace newlines themselves.

// C0 and C1 controls (tab and newline aside), DEL, soft hyphen, Arabic letter mark, Mongolian vowel separator,
// zero-width and directional marks, line and paragraph separators, bidi embeddings, overrides and isolates, word
// joiner and invisible operators, BOM, interlinear annotation controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF\uFFF9-\uFFFB]/g;

/** Escapes control, bidirectional and invisible characters as `\uXXXX`; newlines and tabs are kept. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
