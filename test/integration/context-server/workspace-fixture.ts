// A small multi-file workspace for the context server and `tiller context`: one file defines the symbol a query
// names, others only mention or call it, so "the defining file ranks first" is a claim that can fail.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const FILES: Record<string, string> = {
  'src/dates.ts': 'export function parseDate(text: string): Date {\n  return new Date(text);\n}\n',
  'src/calendar.ts': 'import { parseDate } from "./dates";\n// date date date: a calendar of dates\nexport class Calendar {\n  add(day: string) { return parseDate(day); }\n}\n',
  'src/money.ts': 'export function formatMoney(amount: number): string {\n  return amount.toFixed(2);\n}\n',
  'lib/report.py': 'def render_report(rows):\n    return "\\n".join(str(r) for r in rows)\n',
  'README.md': '# Sample\nA sample project with dates and money.\n',
};

export function sampleWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'tiller-ctx-ws-'));
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}
