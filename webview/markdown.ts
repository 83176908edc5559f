// A small markdown parser for model replies: headings, paragraphs, lists, emphasis, inline code, fenced code blocks,
// block quotes, rules and links. It produces a tree of plain values (no HTML anywhere), which markdown-dom.ts turns
// into DOM nodes with createElement and text nodes only. Raw HTML in the input is just text. Links keep their target
// only when it is an absolute http(s) URL; any other scheme (javascript:, data:, command:, vscode:) stays as text.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'em' | 'strong'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { type: 'quote'; children: Block[] }
  | { type: 'rule' };

/** Only absolute http(s) URLs survive; returns the normalised URL or undefined. */
export function safeHref(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const BULLET = /^( *)([-*+])\s+(.*)$/;
const ORDERED = /^( *)(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;

/** Parses markdown into blocks. Never throws; unclosed constructs (mid-stream) are kept as they are. */
export function parseMarkdown(source: string, depth = 0): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
    paragraph = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(lines[i]!)) body.push(lines[i++]!);
      i++; // the closing fence (or past the end while streaming)
      blocks.push({ type: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    if (!line.trim()) {
      flush();
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ type: 'heading', level: heading[1]!.length as 1, children: parseInline(heading[2] ?? '') });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      flush();
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line) && depth < 8) {
      flush();
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(QUOTE.exec(lines[i++]!)![1]!);
      blocks.push({ type: 'quote', children: parseMarkdown(body.join('\n'), depth + 1) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = bullet ? undefined : ORDERED.exec(line);
    if ((bullet || ordered) && depth < 8) {
      flush();
      const isOrdered = ordered !== null && ordered !== undefined;
      const indent = (bullet ?? ordered)![1]!.length;
      const items: string[][] = [];
      while (i < lines.length) {
        const l = lines[i]!;
        const m = isOrdered ? ORDERED.exec(l) : BULLET.exec(l);
        if (m && m[1]!.length === indent) {
          items.push([m[3]!]);
          i++;
          continue;
        }
        // Continuation: indented deeper than the marker (a nested list or wrapped text), or a lazy paragraph line.
        if (items.length && l.trim() && (/^\s/.test(l) ? l.length - l.trimStart().length > indent : !startsBlock(l))) {
          items.at(-1)!.push(l.slice(Math.min(indent + 2, l.length - l.trimStart().length)));
          i++;
          continue;
        }
        break;
      }
      blocks.push({
        type: 'list',
        ordered: isOrdered,
        start: isOrdered ? Number(ordered![2]) : 1,
        items: items.map((item) => parseMarkdown(item.join('\n'), depth + 1)),
      });
      continue;
    }
    paragraph.push(line);
    i++;
  }
  flush();
  return blocks;
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || BULLET.test(line) || ORDERED.test(line);
}

/** Parses emphasis, code spans, links and hard breaks. Unmatched markers are text. */
export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const push = (node: Inline): void => {
    if (buffer) out.push({ type: 'text', text: buffer });
    buffer = '';
    out.push(node);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!<>~|]/.test(text[i + 1]!)) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '\n') {
      push({ type: 'break' });
      i++;
      continue;
    }
    if (c === '`') {
      let ticks = 1;
      while (text[i + ticks] === '`') ticks++;
      const close = text.indexOf('`'.repeat(ticks), i + ticks);
      if (close > 0) {
        push({ type: 'code', text: text.slice(i + ticks, close).replace(/^ (.*) $/s, '$1') });
        i = close + ticks;
        continue;
      }
      buffer += '`'.repeat(ticks);
      i += ticks;
      continue;
    }
    if ((c === '*' || c === '_') && depth < 6) {
      const double = text[i + 1] === c;
      const marker = double ? c + c : c;
      const close = findClose(text, marker, i + marker.length);
      // `_` inside a word (snake_case) is not emphasis.
      const intraword = c === '_' && i > 0 && /\w/.test(text[i - 1]!);
      if (close > i + marker.length && !intraword && !/\s/.test(text[i + marker.length]!)) {
        push({ type: double ? 'strong' : 'em', children: parseInline(text.slice(i + marker.length, close), depth + 1) });
        i = close + marker.length;
        continue;
      }
    }
    if (c === '[' && depth < 6) {
      const link = matchLink(text, i);
      if (link) {
        const href = safeHref(link.target);
        const children = parseInline(link.label, depth + 1);
        if (href) push({ type: 'link', href, children });
        else {
          // An unsafe target is shown, not followed: the label, then the target as plain text.
          for (const child of children) push(child);
          buffer += ` (${link.target})`;
        }
        i = link.end;
        continue;
      }
    }
    if ((c === 'h' || c === 'H') && (i === 0 || /[\s(]/.test(text[i - 1]!))) {
      const bare = /^https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/i.exec(text.slice(i));
      const href = bare ? safeHref(bare[0]) : undefined;
      if (bare && href) {
        push({ type: 'link', href, children: [{ type: 'text', text: bare[0] }] });
        i += bare[0].length;
        continue;
      }
    }
    buffer += c;
    i++;
  }
  if (buffer) out.push({ type: 'text', text: buffer });
  return out;
}

/**
 * How far an emphasis or link looks for its closing marker. Model output is hostile: without a bound, text made of
 * thousands of `[` or `*` makes each one scan to the end, and the view freezes (quadratic time).
 */
const CLOSE_WINDOW = 2000;

function findClose(text: string, marker: string, from: number): number {
  let j = from;
  const limit = Math.min(text.length, from + CLOSE_WINDOW);
  while (j < limit) {
    const k = text.indexOf(marker, j);
    if (k < 0 || k >= limit) return -1;
    if (!/\s/.test(text[k - 1] ?? ' ') && (marker.length === 2 || text[k + 1] !== marker)) return k;
    j = k + 1;
  }
  return -1;
}

function matchLink(text: string, start: number): { label: string; target: string; end: number } | undefined {
  let depth = 0;
  let j = start;
  const limit = Math.min(text.length, start + CLOSE_WINDOW);
  for (; j < limit; j++) {
    if (text[j] === '[') depth++;
    else if (text[j] === ']' && --depth === 0) break;
  }
  if (j >= limit || text[j + 1] !== '(') return undefined;
  const close = text.indexOf(')', j + 2);
  if (close < 0 || close > j + 2 + CLOSE_WINDOW) return undefined;
  const target =
    text
      .slice(j + 2, close)
      .trim()
      .split(/\s+/)[0] ?? '';
  return { label: text.slice(start + 1, j), target: target.replace(/^<(.*)>$/, '$1'), end: close + 1 };
}
