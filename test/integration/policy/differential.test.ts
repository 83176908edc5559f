// Differential test of the shell analysis against bash itself: seeded random lines made of allowed commands,
// separators, quotes, comments, heredocs and substitutions around a forbidden command. Every line Tiller ALLOWS is run
// by real bash in a scratch workspace whose PATH starts with a shim for the forbidden command; the shim writes a
// marker. No marker may appear: whatever bash runs, the analysis must have seen.
// Replay a run with TILLER_DIFF_SEED=<seed>; TILLER_DIFF_LINES sets how many lines (default 20,000).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';
import { FORBIDDEN, lineGenerator } from './line-generator.js';

const seed = process.env.TILLER_DIFF_SEED ? Number(process.env.TILLER_DIFF_SEED) : Math.floor(Math.random() * 2 ** 31);
const count = process.env.TILLER_DIFF_LINES ? Number(process.env.TILLER_DIFF_LINES) : 20_000;
const WORKERS = 2;

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-diff-')));
const workspace = path.join(base, 'ws');
const shims = path.join(base, 'shims');
const markers = path.join(base, 'markers');

function makeWorkspace(dir: string): void {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'a.txt'), 'a\n');
  fs.writeFileSync(path.join(dir, 'x.txt'), 'x\n');
}

before(async () => {
  await initShellParser();
  makeWorkspace(workspace);
  fs.mkdirSync(shims);
  fs.writeFileSync(path.join(shims, FORBIDDEN), `#!/bin/sh\necho "\${TILLER_LINE_ID:-unknown}" >> "${markers}"\n`, { mode: 0o755 });
});
after(() => fs.rmSync(base, { recursive: true, force: true }));

/**
 * Runs lines with bash, driven by one bash loop per worker: each line is `eval`ed in a subshell of its own (bash
 * parses an eval'd string as it parses `bash -c`), which costs a fork instead of a fork, exec and start-up per line.
 */
function runBatch(lines: Array<[id: number, line: string]>, worker: number): Promise<void> {
  const scratch = path.join(base, `scratch-${worker}`);
  makeWorkspace(scratch);
  const driver = [
    'while IFS= read -r -d "" id && IFS= read -r -d "" line; do',
    '  ( cd "$SCRATCH" && export TILLER_LINE_ID="$id" && eval "$line" ) </dev/null >/dev/null 2>&1',
    'done',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', driver], {
      env: { PATH: `${shims}:${process.env.PATH ?? '/usr/bin:/bin'}`, SCRATCH: scratch, HOME: scratch, LANG: 'C' },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    // No allowed line can wait for input (stdin is /dev/null) or loop forever; if one ever does, the batch fails.
    const watchdog = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker ${worker}: bash did not finish its ${lines.length} lines in 150 s`));
    }, 150_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(watchdog);
      resolve();
    });
    for (const [id, line] of lines) child.stdin.write(`${id}\0${line}\0`);
    child.stdin.end();
  });
}

test('the harness has teeth: bash run this way does reach the shim, also through a heredoc the grammar misreads', async () => {
  const lines: Array<[number, string]> = [
    [-1, FORBIDDEN],
    [-2, `cat <<EOF\na\nEOF && cat <<'EOF'\n$(${FORBIDDEN})\nEOF`],
    [-3, `echo ok`],
  ];
  await runBatch(lines, 9);
  const hits = new Set(fs.readFileSync(markers, 'utf8').split('\n').filter((l) => l !== ''));
  fs.rmSync(markers);
  assert.deepEqual([...hits].sort(), ['-1', '-2']);
});

test(`lines Tiller allows never run the forbidden command (seed ${seed}, ${count} lines)`, { timeout: 300_000 }, async () => {
  console.log(`differential test seed: ${seed} (replay with TILLER_DIFF_SEED=${seed})`);
  const engine = createPolicyEngine({
    workspaceRoots: [workspace],
    userRules: {
      allow: ['shell(echo *)', 'shell(printf *)', 'shell(true)', 'shell(false)', 'shell(cat *)', 'shell(ls *)', 'shell(: *)', 'shell(bash *)', 'shell(sh *)'],
      deny: [`shell(${FORBIDDEN} *)`],
    },
    caseInsensitive: false,
  });
  const next = lineGenerator(seed);
  const allowed: Array<[number, string]> = [];
  const decided = { allow: 0, ask: 0, deny: 0 };
  const started = Date.now();
  for (let id = 0; id < count; id++) {
    const line = next();
    const d = engine.decide({ kind: 'shell', command: line });
    decided[d.decision]++;
    if (d.decision === 'allow') allowed.push([id, line]);
  }
  const decideMs = Date.now() - started;
  // Lines containing the forbidden word anywhere are the interesting ones; the rest are run too (a sample would do,
  // but running them costs little and covers separators and quoting on their own).
  const chunks = Array.from({ length: WORKERS }, (_, w) => allowed.filter((_, i) => i % WORKERS === w));
  await Promise.all(chunks.map((c, w) => runBatch(c, w)));
  const ran = Date.now() - started - decideMs;
  console.log(`decided ${count} lines in ${decideMs} ms: ${decided.allow} allow, ${decided.ask} ask, ${decided.deny} deny; ran the allowed ones with bash in ${ran} ms`);

  const hits = fs.existsSync(markers) ? [...new Set(fs.readFileSync(markers, 'utf8').split('\n').filter((l) => l !== ''))] : [];
  const byId = new Map(allowed);
  const offenders = hits.map((h) => `#${h}: ${JSON.stringify(byId.get(Number(h)) ?? '(unknown line)')}`);
  assert.deepEqual(offenders, [], `seed ${seed}: bash ran \`${FORBIDDEN}\` in lines Tiller allowed:\n${offenders.join('\n')}`);
  // The test only has teeth if bash really ran a good share of lines, including ones that mention the forbidden word.
  assert.ok(decided.allow >= count / 10, `only ${decided.allow} of ${count} lines were allowed`);
  assert.ok(allowed.filter(([, l]) => l.includes(FORBIDDEN)).length >= count / 50, 'too few allowed lines mention the forbidden command');
});
