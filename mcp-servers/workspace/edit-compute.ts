// The pure part of propose_edit: apply search/replace edits (each must match exactly once) or a whole-file
// write to the current text, keeping the file's line endings and BOM. Nothing here touches the disk.

export type EditRequest = { kind: 'replace'; edits: { search: string; replace: string }[] } | { kind: 'write'; content: string };

export class EditError extends Error {
  override name = 'EditError';
}

const BOM = '\uFEFF';

/** A file is treated as CRLF when it has line breaks and every one of them is CRLF. */
export function detectCrlf(text: string): boolean {
  const lf = (text.match(/\n/g) ?? []).length;
  const crlf = (text.match(/\r\n/g) ?? []).length;
  return lf > 0 && lf === crlf;
}

function toLf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) count++;
  return count;
}

/**
 * Computes the new file text. `current` is the decoded current content (null when the file does not exist).
 * Returns the full new text, BOM included when the original had one.
 */
export function computeEdit(path: string, current: string | null, request: EditRequest): string {
  const hadBom = current?.startsWith(BOM) ?? false;
  const body = hadBom ? current!.slice(1) : (current ?? '');
  const crlf = current !== null && detectCrlf(body);
  // Work in LF when the file is uniformly CRLF, so a model that writes '\n' still matches; convert back at the end.
  const working = crlf ? toLf(body) : body;
  let next: string;
  if (request.kind === 'write') {
    const content = request.content.startsWith(BOM) ? request.content.slice(1) : request.content;
    next = crlf ? toLf(content) : content;
  } else {
    if (current === null) throw new EditError(`${path} does not exist; search/replace edits need an existing file (give "content" to create it)`);
    if (request.edits.length === 0) throw new EditError('edits is empty');
    next = working;
    request.edits.forEach((edit, index) => {
      const label = request.edits.length > 1 ? `edit ${index + 1} of ${request.edits.length}` : 'edit';
      const search = crlf ? toLf(edit.search) : edit.search;
      const replace = crlf ? toLf(edit.replace) : edit.replace;
      if (search === '') throw new EditError(`${label}: search is empty; give the exact text to replace`);
      const count = countOccurrences(next, search);
      if (count === 0) {
        throw new EditError(
          `${label}: search text matched 0 times in ${path}; it must match the file exactly (whitespace and indentation included): read the file again`,
        );
      }
      if (count > 1) {
        throw new EditError(`${label}: search text matched ${count} times in ${path}, add surrounding lines to make it unique`);
      }
      const at = next.indexOf(search);
      next = next.slice(0, at) + replace + next.slice(at + search.length);
    });
  }
  if (crlf) next = next.replace(/\n/g, '\r\n');
  return hadBom ? BOM + next : next;
}
