// Issue boilerplate that says nothing about where a bug is: pasted environment dumps (`show_versions()`, `npx
// envinfo`, `pip freeze`: long runs of `name: version` lines). Their package names would otherwise match files named
// after versions or platforms. A run is dropped with the all-caps or ruled heading just above it.

const KEY_VALUE = /^\s*[\w.+\-/ ]{1,40}\s*(?::|==|=|\s{2,})\s*\S.{0,60}$/;
const HEADING = /^\s*([-=_*]{3,}|`{3}\w*|[A-Z][A-Z0-9 _-]{3,}:?|#+\s.*|\*\*[^*]{1,40}\*\*:?|<\/?(details|summary)[^>]*>.*|<!--.*-->)\s*$/;
const MIN_RUN = 8;

export function stripEnvironmentDumps(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const drop = new Uint8Array(lines.length);
  let i = 0;
  while (i < lines.length) {
    if (!KEY_VALUE.test(lines[i] ?? '')) {
      i++;
      continue;
    }
    let j = i;
    let kv = 0;
    let misses = 0;
    let last = i;
    // A run allows blank lines and the odd wrapped line (`[GCC 7.3.0]`) between its entries.
    while (j < lines.length) {
      const line = lines[j] ?? '';
      if (KEY_VALUE.test(line)) {
        kv++;
        misses = 0;
        last = j;
      } else if (line.trim() === '' || (misses === 0 && line.length < 40)) {
        misses++;
        if (misses > 2) break;
      } else break;
      j++;
    }
    if (kv >= MIN_RUN) {
      for (let k = i; k <= last; k++) drop[k] = 1;
      for (let k = i - 1; k >= Math.max(0, i - 6) && (HEADING.test(lines[k] ?? '') || (lines[k] ?? '').trim() === ''); k--) drop[k] = 1;
    }
    i = Math.max(last + 1, i + 1);
  }
  return lines.filter((_, k) => !drop[k]).join('\n');
}

/** An issue template's HTML comments (`<!-- Please read the FAQ ... -->`): the template's words, not the reporter's. */
export function stripTemplateComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
}

/**
 * The text without its URLs, for word matching: a link's host and path are the site's words (`/docs/en/parse/...`,
 * the project's own name), not the bug's. Links to source lines are read separately, as file mentions.
 */
export function withoutUrls(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s)\]>'"`]+/g, ' ');
}

/** Lines that only import (`import x from 'pkg/a'`, `const x = require('a')`, `from a.b import c`, `import a.b`). */
export function withoutImportLines(text: string): string {
  return text.replace(IMPORT_LINE, '');
}

const IMPORT_LINE =
  /^[ \t]*(?:>>>[ \t]*)?(?:import\s+(?:[\w$*{},\s]+\s+from\s+)?['"][^'"\n]+['"]|(?:const|let|var)\s+[\w${},\s]+=\s*require\s*\(\s*['"][^'"\n]+['"]\s*\)|require\s*\(\s*['"][^'"\n]+['"]\s*\)|from\s+[\w.]+\s+import\s+[\w\s,()*]+|import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)[ \t]*;?[ \t]*$/gm;
