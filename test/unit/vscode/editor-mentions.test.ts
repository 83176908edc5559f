import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problemsMention, stripTerminalControls, TerminalCapture } from '../../../extension/vscode/editor-mentions.js';

const Severity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
const diag = (line: number, severity: number, message: string, source?: string) => ({ range: { start: { line, character: 4 } }, severity, message, source });
const file = (fsPath: string) => ({ scheme: 'file', fsPath });

test('@problems lists errors then warnings of workspace files only, with positions', () => {
  const api = {
    DiagnosticSeverity: Severity,
    languages: {
      getDiagnostics: () => [
        [file('/w/src/a.ts'), [diag(2, Severity.Warning, 'unused x', 'ts'), diag(9, Severity.Information, 'fyi')]],
        [file('/w/src/b.ts'), [diag(0, Severity.Error, 'type error\u001b[31m', 'ts')]],
        [file('/elsewhere/c.ts'), [diag(0, Severity.Error, 'not ours')]],
        [file('/w-evil/d.ts'), [diag(0, Severity.Error, 'prefix trick')]],
      ],
    },
  } as never;
  const r = problemsMention(api, '/w');
  assert.ok(typeof r !== 'string');
  assert.equal(r.text, 'src/b.ts:1:5: error: type error (ts)\nsrc/a.ts:3:5: warning: unused x (ts)');
});

test('@terminal gives the last commands with their output and exit codes, escape sequences removed', async () => {
  let start: ((e: unknown) => void) | undefined;
  let end: ((e: unknown) => void) | undefined;
  const capture = new TerminalCapture();
  assert.match(String(capture.mention()), /no terminal output has been captured yet/);
  capture.watch({
    onDidStartTerminalShellExecution: (f: (e: unknown) => void) => ((start = f), { dispose() {} }),
    onDidEndTerminalShellExecution: (f: (e: unknown) => void) => ((end = f), { dispose() {} }),
  } as never);
  const execution = {
    commandLine: { value: 'npm test' },
    async *read() {
      yield '\u001b[32mPASS\u001b[0m a.test.js\r\n';
      yield '\u001b]633;C\u0007FAIL b.test.js: expected 2\n';
    },
  };
  start!({ execution });
  await new Promise((r) => setImmediate(r));
  end!({ execution, exitCode: 1 });
  const r = capture.mention();
  assert.ok(typeof r !== 'string');
  assert.equal(r.text, '$ npm test\nPASS a.test.js\nFAIL b.test.js: expected 2\n[exit code 1]');
  assert.equal(stripTerminalControls('a\u0007b\u001b[2Kc\td'), 'abc\td');
});

test('hosts without shell integration capture nothing and do not fail', () => {
  assert.deepEqual(new TerminalCapture().watch({} as never), []);
});
