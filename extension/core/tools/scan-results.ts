// The structured half of the built-in workspace server's scan results (`structuredContent` of find_files and
// search_text), shared by the server that writes it and the gate that filters it. The gate decides on these paths,
// not on paths guessed back out of the text: a file named `a:1:b/secret.txt` is one path, not `a` plus a line.
import { z } from 'zod';

export interface SearchHit {
  path: string;
  line: number;
  text: string;
}

/** How one hit is written in the text the model reads: `path:line: text`. */
export function formatHit(hit: SearchHit): string {
  return `${hit.path}:${hit.line}: ${hit.text}`;
}

const searchHits = z.object({ hits: z.array(z.object({ path: z.string(), line: z.number(), text: z.string() })) });
const fileList = z.object({ files: z.array(z.string()) });

/** One file a scan result names, and the line of its text that names it. */
export interface ScannedItem {
  path: string;
  line: string;
}

/** The items a scan result's structure names, or undefined when it has none this module understands. */
export function scannedItems(structured: Record<string, unknown> | undefined): ScannedItem[] | undefined {
  if (!structured) return undefined;
  const hits = searchHits.safeParse(structured);
  if (hits.success) return hits.data.hits.map((h) => ({ path: h.path, line: formatHit(h) }));
  const files = fileList.safeParse(structured);
  if (files.success) return files.data.files.map((f) => ({ path: f, line: f }));
  return undefined;
}
