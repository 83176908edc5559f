// Ordinary lines that asked or were denied under the hand-written lexer (issue 12): each is allowed under a policy
// that allows the commands it runs, because the syntax around them is now understood and decided on its parts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';
import { makeWorkspace } from '../../unit/policy/workspace.js';

before(() => initShellParser());
const ws = makeWorkspace();
after(() => ws.cleanup());

const engine = createPolicyEngine({
  workspaceRoots: [ws.root],
  userRules: {
    allow: [
      'shell(git *)', 'shell(cat *)', 'shell(echo *)', 'shell(ls *)', 'shell(npm test)', 'shell(npm run *)', 'shell(grep *)',
      'shell(wc *)', 'shell(head *)', 'shell(tail *)', 'shell(sort *)', 'shell(printf *)', 'shell(test *)', 'shell([ *)',
      'shell(true)', 'shell(sleep *)', 'shell(tsc *)', 'shell(node *)', 'shell(jq *)', 'shell(find *)', 'shell(xargs *)',
      'shell(mkdir *)', 'shell(read *)', 'write(src/**)', 'write(build/**)',
    ],
  },
  caseInsensitive: false,
});

const ORDINARY: string[] = [
  `git commit -m "$(cat <<'EOF'\nFix the parser\n\nLonger body with $(not a substitution) and \`backticks\`.\nEOF\n)"`,
  `git commit -m "$(cat <<EOF\nRelease $((1 + 2))\nEOF\n)"`,
  'for i in 1 2 3; do echo $i; done',
  'for f in src/*.ts; do wc -l "$f"; done',
  'npm test # run the suite',
  'npm test  # trailing comment with "quotes" and $(parens)',
  'ls src/*.js',
  'ls -la src/*.{ts,js}',
  'cat src/*.ts | wc -l',
  'grep -rn TODO sub/*.ts',
  'npm run build &',
  'npm run build & npm test',
  'while read -r line; do echo "$line"; done < src/a.ts',
  'case "$1" in start) npm test;; *) echo usage;; esac',
  'if [ -f src/a.ts ]; then cat src/a.ts; else echo missing; fi',
  'test -d src && ls src',
  'f() { echo "hi $1"; }; f there',
  'echo $((2 * 21))',
  'echo "total: $(( 3 + 4 ))"',
  'cat <<EOF > src/notes.md\n# Notes\nline\nEOF',
  'cat <<-EOF\n\tindented\n\tEOF',
  'printf "%s\\n" a b | sort',
  'echo "${HOME}" "$PWD"',
  'ls ~+/src',
  'npm test 2>&1 | tail -n 20',
  'git log --oneline -n 5 && git status',
  'git diff HEAD~1 -- src/a.ts',
  'git -C sub log -1',
  'find src -name "*.ts" | xargs grep -n export',
  'mkdir -p build && echo ok > build/out.txt',
  'until true; do sleep 1; done',
  '{ echo a; echo b; } | sort',
  'echo "a;b" \'c|d\' # done',
  'node scripts/build.js --watch',
  'tsc -p tsconfig.json --noEmit',
  'jq .name package.json',
];

test(`${ORDINARY.length} ordinary lines are allowed and name an allow rule`, () => {
  assert.ok(ORDINARY.length >= 21);
  const failures: string[] = [];
  for (const line of ORDINARY) {
    const d = engine.decide({ kind: 'shell', command: line });
    if (d.decision !== 'allow' || !d.rule.startsWith('allow shell(')) failures.push(`${JSON.stringify(line)} -> ${d.decision} by ${d.rule}: ${d.reason}`);
  }
  assert.deepEqual(failures, []);
});
