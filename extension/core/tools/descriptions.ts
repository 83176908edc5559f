// Tool descriptions come from servers Tiller does not control and go straight into the model's prompt, so they are a
// classic injection channel. This scanner finds what a user should look at before approving a tool list: characters
// that hide text, and text that reads like instructions to the model. It only reports (with offsets into the exact
// text); nothing is stripped, so the user sees what the model would see.

export type FindingKind = 'hidden_character' | 'instruction';

export interface DescriptionFinding {
  kind: FindingKind;
  /** UTF-16 offsets into the description, `end` exclusive. */
  start: number;
  end: number;
  /** A sentence for the approval UI. */
  message: string;
}

const HIDDEN: { re: RegExp; what: string }[] = [
  { re: /[\u200b-\u200d\u2060-\u2064\ufeff]/gu, what: 'a zero-width character' },
  { re: /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/gu, what: 'a text-direction override' },
  { re: /[\u{e0000}-\u{e007f}]/gu, what: 'a Unicode tag character (invisible text)' },
  // Tab and newline are ordinary in descriptions; every other C0/C1 control is not.
  // eslint-disable-next-line no-control-regex
  { re: /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/gu, what: 'a control character' },
];

const INSTRUCTIONS: { re: RegExp; what: string }[] = [
  {
    re: /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier|other|system)\s+(?:instructions?|prompts?|rules?|messages?)/giu,
    what: 'asks the model to ignore its instructions',
  },
  {
    re: /\b(?:do\s+not|don'?t|never)\s+(?:tell|inform|mention|show|reveal|notify)\b[^.\n]{0,40}\b(?:user|human|anyone)/giu,
    what: 'asks the model to hide something from the user',
  },
  {
    re: /\b(?:before|prior\s+to|first)\b[^.\n]{0,60}\b(?:read|cat|open|send|upload|include|pass)\b[^.\n]{0,60}(?:~\/|\$HOME|\/etc\/|\.ssh|id_rsa|\.env\b|\.aws|credentials|\.npmrc|\.netrc)/giu,
    what: 'asks the model to read or send a sensitive file first',
  },
  { re: /<\/?\s*(?:important|system|instructions?|secret|hidden|admin)\s*>/giu, what: 'a pseudo-tag that addresses the model' },
  {
    re: /(?:~\/\.ssh|\bid_(?:rsa|ed25519|ecdsa)\b|\.aws\/credentials|\.npmrc|\.netrc|\.git-credentials|\.env\b|\bprivate[_ ]key\b|\bapi[_ -]?keys?\b|\bpasswords?\b|\bsecrets?\b|\btokens?\b)/giu,
    what: 'mentions secrets or credential files',
  },
  {
    re: /\b(?:you\s+must|always)\s+(?:call|use|invoke|run)\s+(?:the\s+)?[`'"]?[a-z0-9_-]+(?:[._][a-z0-9_-]+)+[`'"]?/giu,
    what: 'tells the model to use another tool',
  },
  {
    re: /\b(?:instead\s+of|rather\s+than|do\s+not\s+use|don'?t\s+use)\s+(?:the\s+)?[`'"]?[a-z0-9_-]+[._][a-z0-9_-]+/giu,
    what: 'steers the model away from another tool',
  },
];

export function scanDescription(text: string): DescriptionFinding[] {
  const findings: DescriptionFinding[] = [];
  for (const { re, what } of HIDDEN) {
    for (const m of text.matchAll(re)) {
      const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      findings.push({ kind: 'hidden_character', start: m.index, end: m.index + m[0].length, message: `U+${code}: ${what}` });
    }
  }
  for (const { re, what } of INSTRUCTIONS) {
    for (const m of text.matchAll(re)) {
      findings.push({ kind: 'instruction', start: m.index, end: m.index + m[0].length, message: `"${m[0]}": ${what}` });
    }
  }
  return findings.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The description with every hidden character written as a visible `<U+XXXX>` escape, for terminals and dialogs. */
export function showHidden(text: string): string {
  let out = '';
  for (const ch of text) {
    const hidden = HIDDEN.some(({ re }) => new RegExp(re.source, 'u').test(ch));
    out += hidden && ch !== '\t' && ch !== '\n' ? `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>` : ch;
  }
  return out;
}

export interface SchemaTextFindings {
  /** Where in the input schema, e.g. `properties.path.description`. */
  path: string;
  text: string;
  findings: DescriptionFinding[];
}

/**
 * Parameter descriptions and titles reach the model too (a favourite hiding place for injected instructions), so
 * every string under `description` or `title` in the input schema is scanned; only those with findings are returned.
 */
export function scanSchemaText(schema: unknown, path = ''): SchemaTextFindings[] {
  const out: SchemaTextFindings[] = [];
  if (schema === null || typeof schema !== 'object') return out;
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    const here = path ? `${path}.${key}` : key;
    if ((key === 'description' || key === 'title') && typeof value === 'string') {
      const findings = scanDescription(value);
      if (findings.length > 0) out.push({ path: here, text: value, findings });
    } else if (value !== null && typeof value === 'object') {
      out.push(...scanSchemaText(value, here));
    }
  }
  return out;
}
