// A seeded generator of shell lines for the differential test: allowed commands, separators, quotes, comments,
// heredocs and substitutions around a forbidden command (`zap`), sometimes run as a command and sometimes only data,
// then often mutated by a character or two (a quote, `#`, `\`, `$`, a newline) so the meaning shifts in the corners
// where a parser and bash might disagree.

/** mulberry32: small, fast and good enough to spread lines; the same seed gives the same lines. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FORBIDDEN = 'zap';

export function lineGenerator(seed: number): () => string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;

  const dataWords = ['a', 'b1', 'src', 'x.txt', '-n', '--', 'zap', 'z\\ap', '\\zap', '\\;', '\\#', "\\'", '\\"', '=', 'x=zap', '{a,b}', '%s'];
  const singleContent = ['zap', '$(zap)', ';zap', '"', '#', '\\', '`zap`', 'a b', '$x', '${x-zap}', '\\n', '&& zap'];
  const doubleContent = ['zap', '\\$(zap)', '$x', '${x-zap}', '$', '\\"', "'", '#', '; zap', '\\`zap\\`', '${x-"}"}', '$HOME', 'a\\\nb'];

  function arg(): string {
    switch (Math.floor(r() * 9)) {
      case 0:
      case 1:
        return pick(dataWords);
      case 2:
        return `'${pick(singleContent)}${chance(0.3) ? pick(singleContent) : ''}'`;
      case 3:
        return `"${pick(doubleContent)}${chance(0.3) ? pick(doubleContent) : ''}"`;
      case 4:
        return pick([`$'${pick(['zap', '\\x7a', "\\'", 'a\\nb'])}'`, `$"${pick(['zap', 'a'])}"`]);
      case 5:
        return pick([`$(echo ${pick(dataWords)})`, `\`echo ${pick(['zap', 'a'])}\``, `"$(printf %s ${pick(['zap', "'x'"])})"`]);
      case 6:
        return pick(['${x:-zap}', '${x-"}"}', '${x#zap}', '$((1+2))', '${#x}', '$x', '"$@"']);
      case 7:
        return pick(['> /dev/null', '2>&1', '2> /dev/null', '< /dev/null', '>> /dev/null']);
      default:
        return pick(['a', 'zap']) + pick(['', '#', '#x', '\\', '"', "'"]) + pick(['', 'b']);
    }
  }

  const commands = ['echo', 'printf %s', 'true', 'cat /dev/null', 'ls', ':', 'echo -n'];
  function allowedCommand(): string {
    const c = pick(commands);
    const n = Math.floor(r() * 4);
    return [c, ...Array.from({ length: n }, arg)].join(' ');
  }

  // The forbidden command run as a command, spelled many ways: every one of these must be denied or asked.
  const forbiddenForms = [
    'zap', 'z\\ap', '"zap"', "'zap'", "z''ap", 'z""ap', '\\zap', 'echo $(zap)', 'echo `zap`', 'eval zap', 'eval "echo; zap"',
    "bash -c 'zap'", 'bash -c "echo a; zap"', 'x=$(zap)', '{ zap; }', '(zap)', 'echo | zap', 'true && zap', 'false || zap',
    'if true; then zap; fi', 'for i in 1; do zap; done', 'case a in a) zap;; esac', 'f() { zap; }; f', 'echo ${x-$(zap)}',
    'cat <(zap)', 'echo "$(zap)"', 'env zap', 'command zap', 'timeout 5 zap', 'nice zap', 'exec zap', 'z\\\nap',
    "bash <<'EOF'\nzap\nEOF", 'cat <<EOF\n$(zap)\nEOF', 'echo zap | bash', 'xargs zap < /dev/null', "sh -c 'zap'",
    'echo $((1 + $(zap)))',
  ];

  function heredoc(): string {
    return pick([
      `cat <<'EOF'\n${pick(['zap', '$(zap)', 'a b', '`zap`'])}\nEOF`,
      `cat <<EOF\n${pick(['a', '$x', '$(echo zap)', '\\$(zap)', '${x-zap}'])}\nEOF`,
      `cat <<-EOF\n\t${pick(['zap', 'a'])}\n\tEOF`,
      `cat <<< ${pick(["'zap'", '"$(echo zap)"', 'zap'])}`,
      `git commit -m "$(cat <<'EOF'\n${pick(['zap', 'msg'])}\nEOF\n)"`,
    ]);
  }

  function segment(): string {
    const roll = r();
    let s: string;
    if (roll < 0.14) s = pick(forbiddenForms);
    else if (roll < 0.24) s = heredoc();
    else s = allowedCommand();
    if (chance(0.12)) s = pick([`( ${s} )`, `{ ${s}; }`, `if true; then ${s}; fi`, `for i in 1 2; do ${s}; done`, `case a in a) ${s};; esac`, `echo "$(${s})"`, `bash -c '${s.replace(/'/g, "'\\''")}'`]);
    if (chance(0.12)) s += ` ${pick(['# zap', '#"', "#'", '# $(zap)', '#'])}`;
    return s;
  }

  const separators = ['; ', ' && ', ' || ', ' | ', '\n', ' & ', ';\n', ' |& '];
  const mutations = ['"', "'", '\\', '$', '#', ';', '&', '|', '(', ')', '`', '{', '}', '\n', ' ', '<', '>'];

  return () => {
    const n = 1 + Math.floor(r() * 3);
    let line = Array.from({ length: n }, segment).reduce((acc, s) => (acc === '' ? s : `${acc}${pick(separators)}${s}`), '');
    if (chance(0.4)) {
      const edits = 1 + Math.floor(r() * 2);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(r() * (line.length + 1));
        line = chance(0.75) ? line.slice(0, at) + pick(mutations) + line.slice(at) : line.slice(0, at) + line.slice(at + 1);
      }
    }
    return line;
  };
}
