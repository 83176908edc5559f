// First-form shell splitter: turns a command line into the simple commands it would run, with their redirections,
// honouring quotes and escapes and descending into subshells, groups and substitutions. Whatever it cannot account
// for is reported in `uncertain`, which the engine turns into `ask` — never into `allow`.
// (A later issue replaces this with a tree-sitter-bash parse.)

export interface ShellWord {
  /** The word after quote removal; substitutions and expansions stay as written. */
  text: string;
  /** Contains a `$VAR`, `${...}`, `$(...)`, backticks or a process substitution: its value is unknown before running. */
  dynamic: boolean;
  /** Contains unquoted glob or brace characters. */
  glob: boolean;
  /** Starts with an unquoted `~`. */
  tilde: boolean;
  /** An unquoted `NAME=value` assignment. */
  assignment: boolean;
  /** Some part was quoted or escaped (a quoted `if` is a command name, not a reserved word). */
  quoted?: boolean;
}

export interface ShellRedirect {
  kind: 'read' | 'write';
  op: string;
  target: ShellWord;
}

export interface SimpleCommand {
  words: ShellWord[];
  redirects: ShellRedirect[];
}

export interface ShellSplit {
  commands: SimpleCommand[];
  uncertain: string[];
}

const MAX_DEPTH = 12;
const MAX_NESTING = 64;
const RESERVED_SKIP = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done', 'esac']);
const RESERVED_UNCERTAIN = new Set(['case', 'for', 'select', 'function', 'coproc']);

// Only space and tab separate words, as in bash: a carriage return is part of a word (`npm test\r` is not `npm test`).
function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function isMeta(c: string | undefined): boolean {
  return c === undefined || c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '<' || c === '>' || c === '\n' || isBlank(c);
}

class Splitter {
  private i = 0;
  /** Open subshells and substitutions on the way to the current position; bounded so hostile input cannot blow the stack. */
  private nesting = 0;
  readonly commands: SimpleCommand[] = [];
  readonly uncertain: string[] = [];

  constructor(
    private readonly s: string,
    private readonly depth: number,
  ) {}

  run(): this {
    if (this.depth > MAX_DEPTH) {
      this.note('the command nests substitutions too deeply to analyse');
      return this;
    }
    this.parseList(undefined);
    return this;
  }

  private note(reason: string): void {
    if (!this.uncertain.includes(reason)) this.uncertain.push(reason);
  }

  private merge(inner: Splitter): void {
    this.commands.push(...inner.commands);
    for (const u of inner.uncertain) this.note(u);
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.s[this.i];
      if (isBlank(c)) this.i++;
      else if (c === '\\' && this.s[this.i + 1] === '\n') this.i += 2;
      else return;
    }
  }

  /** Parses commands until `end` (`)` for subshells and `$( )`) or the end of input. */
  private parseList(end: ')' | undefined): void {
    if (++this.nesting > MAX_NESTING) {
      this.note('the command nests subshells or substitutions too deeply to analyse');
      this.i = this.s.length;
      this.nesting--;
      return;
    }
    try {
      this.parseListBody(end);
    } finally {
      this.nesting--;
    }
  }

  private parseListBody(end: ')' | undefined): void {
    for (;;) {
      this.skipBlanks();
      const c = this.s[this.i];
      const next = this.s[this.i + 1];
      if (c === undefined) {
        if (end) this.note('unbalanced parentheses');
        return;
      }
      if (c === ')') {
        this.i++;
        if (end) return;
        this.note('unbalanced `)`');
        continue;
      }
      if (c === ';' || c === '\n') {
        this.i++;
        continue;
      }
      if ((c === '&' && next === '&') || (c === '|' && (next === '|' || next === '&'))) {
        this.i += 2;
        continue;
      }
      if (c === '|') {
        this.i++;
        continue;
      }
      if (c === '&' && next !== '>') {
        this.i++;
        this.note('runs a command in the background (`&`)');
        continue;
      }
      if (c === '(') {
        this.i++;
        if (this.s[this.i] === '(') this.note('arithmetic command `(( ))`');
        this.parseList(')');
        continue;
      }
      if (c === '#' && (this.i === 0 || isMeta(this.s[this.i - 1]))) {
        // A comment hides text from bash; analysing it anyway is only ever stricter, but note it.
        this.note('contains a comment');
      }
      this.parseSimpleCommand();
    }
  }

  private parseSimpleCommand(): void {
    const words: ShellWord[] = [];
    const redirects: ShellRedirect[] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.s[this.i];
      const rest = this.s.slice(this.i, this.i + 4);
      if (c === undefined || c === ';' || c === '\n' || c === '|' || c === ')') break;
      if (c === '&' && this.s[this.i + 1] !== '>') break;
      if (c === '(') {
        // After reserved words only (`then (`, `do (`, `! (`) this is a subshell; after a real word it is not.
        const afterWord = !words.every((w) => RESERVED_SKIP.has(w.text) && isPlain(w));
        this.i++;
        this.parseList(')');
        if (afterWord) {
          // `name() body`: the body that follows is analysed as commands of its own.
          this.note('`(` after a word (a function definition?)');
          break;
        }
        continue;
      }
      if (rest.startsWith('<(') || rest.startsWith('>(')) {
        words.push(this.readWord());
        continue;
      }
      const redirect = /^(\d*)(&>>|&>|>>|>\||>&|<<<|<<-|<<|<&|<>|>|<)/.exec(this.s.slice(this.i, this.i + 24));
      if (redirect && (redirect[1] === '' || isMeta(this.s[this.i - 1]) || this.i === 0)) {
        this.i += redirect[0].length;
        this.parseRedirect(redirect[2]!, redirects);
        continue;
      }
      words.push(this.readWord());
    }
    while (words.length > 0 && !words[0]!.dynamic && RESERVED_SKIP.has(words[0]!.text) && isPlain(words[0]!)) words.shift();
    if (words[0] && RESERVED_UNCERTAIN.has(words[0].text)) this.note(`uses \`${words[0].text}\`, which this analysis does not follow`);
    if (words.length > 0 || redirects.length > 0) this.commands.push({ words, redirects });
  }

  private parseRedirect(op: string, redirects: ShellRedirect[]): void {
    this.skipBlanks();
    if (isMeta(this.s[this.i]) && !(this.s.startsWith('<(', this.i) || this.s.startsWith('>(', this.i))) {
      this.note(`redirection \`${op}\` without a target`);
      return;
    }
    const target = this.readWord();
    if (op === '<<' || op === '<<-') {
      this.note('uses a heredoc');
      return;
    }
    if (op === '<<<') return;
    if (op === '>&' || op === '<&') {
      if (/^(\d+-?|-)$/.test(target.text) && !target.dynamic) return;
      if (op === '<&') {
        this.note('unusual redirection `<&`');
        return;
      }
    }
    if (op === '<>') {
      redirects.push({ kind: 'read', op, target }, { kind: 'write', op, target });
      return;
    }
    redirects.push({ kind: op === '<' ? 'read' : 'write', op, target });
  }

  private readWord(): ShellWord {
    const w: ShellWord = { text: '', dynamic: false, glob: false, tilde: false, assignment: false };
    let quotedSoFar = false;
    const start = this.i;
    for (;;) {
      const c = this.s[this.i];
      if ((c === '<' || c === '>') && this.s[this.i + 1] === '(') {
        const open = this.i;
        this.i += 2;
        this.parseList(')');
        w.text += this.s.slice(open, this.i);
        w.dynamic = true;
        continue;
      }
      if (isMeta(c)) break;
      if (c === '\\') {
        const n = this.s[this.i + 1];
        if (n === '\n') this.i += 2;
        else if (n === undefined) {
          this.note('ends with a lone backslash');
          this.i++;
        } else {
          w.text += n;
          quotedSoFar = true;
          this.i += 2;
        }
        continue;
      }
      if (c === "'") {
        const close = this.s.indexOf("'", this.i + 1);
        if (close < 0) {
          this.note('unbalanced single quote');
          w.text += this.s.slice(this.i + 1);
          this.i = this.s.length;
        } else {
          w.text += this.s.slice(this.i + 1, close);
          this.i = close + 1;
        }
        quotedSoFar = true;
        continue;
      }
      if (c === '"') {
        this.i++;
        this.readDouble(w);
        quotedSoFar = true;
        continue;
      }
      if (c === '$') {
        this.readDollar(w);
        continue;
      }
      if (c === '`') {
        this.readBacktick(w);
        continue;
      }
      if (c === '*' || c === '?' || c === '[' || c === '{') w.glob = true;
      if (c === '~' && this.i === start) w.tilde = true;
      if (c === '=' && !quotedSoFar && !w.dynamic && /^[A-Za-z_][A-Za-z0-9_]*$/.test(w.text) && this.i - start === w.text.length) {
        w.assignment = true;
      }
      w.text += c;
      this.i++;
    }
    if (quotedSoFar) w.quoted = true;
    return w;
  }

  private readDouble(w: ShellWord): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) {
        this.note('unbalanced double quote');
        return;
      }
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        const n = this.s[this.i + 1];
        if (n === '\n') this.i += 2;
        else if (n === '$' || n === '`' || n === '"' || n === '\\') {
          w.text += n;
          this.i += 2;
        } else {
          w.text += c;
          this.i++;
        }
        continue;
      }
      if (c === '$') {
        this.readDollar(w);
        continue;
      }
      if (c === '`') {
        this.readBacktick(w);
        continue;
      }
      w.text += c;
      this.i++;
    }
  }

  private readDollar(w: ShellWord): void {
    const open = this.i;
    const n = this.s[this.i + 1];
    if (n === '(') {
      const arithmetic = this.s[this.i + 2] === '(';
      if (arithmetic) this.note('arithmetic expansion `$(( ))`');
      // Arithmetic content is parsed as commands too: any substitution inside is then found (stricter, never looser).
      this.i += 2;
      this.parseList(')');
      w.text += this.s.slice(open, this.i);
      w.dynamic = true;
      return;
    }
    if (n === '{') {
      const close = matchingBrace(this.s, this.i + 1);
      const content = this.s.slice(this.i + 2, close < 0 ? this.s.length : close);
      if (close < 0) this.note('unbalanced `${`');
      if (/\$\(|`|[<>]\(/.test(content)) {
        this.note('a substitution inside `${...}`');
        this.merge(new Splitter(content, this.depth + 1).run());
      }
      this.i = close < 0 ? this.s.length : close + 1;
      w.text += this.s.slice(open, this.i);
      w.dynamic = true;
      return;
    }
    if (n === "'") {
      // ANSI-C quoting can spell any byte (`$'\x72m'`): its value is treated as unknown.
      let j = this.i + 2;
      while (j < this.s.length && this.s[j] !== "'") j += this.s[j] === '\\' ? 2 : 1;
      if (j >= this.s.length) this.note('unbalanced `$\'`');
      this.i = Math.min(j + 1, this.s.length);
      w.text += this.s.slice(open, this.i);
      w.dynamic = true;
      return;
    }
    if (n === '"') {
      this.i += 2;
      this.readDouble(w);
      return;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(this.s.slice(this.i + 1));
    if (name) {
      this.i += 1 + name[0].length;
      w.text += this.s.slice(open, this.i);
      w.dynamic = true;
      return;
    }
    w.text += '$';
    this.i++;
  }

  private readBacktick(w: ShellWord): void {
    const open = this.i;
    let j = this.i + 1;
    let inner = '';
    while (j < this.s.length && this.s[j] !== '`') {
      if (this.s[j] === '\\' && j + 1 < this.s.length) {
        const n = this.s[j + 1]!;
        inner += n === '`' || n === '\\' || n === '$' ? n : '\\' + n;
        j += 2;
      } else {
        inner += this.s[j];
        j++;
      }
    }
    if (j >= this.s.length) this.note('unbalanced backtick');
    this.merge(new Splitter(inner, this.depth + 1).run());
    this.i = Math.min(j + 1, this.s.length);
    w.text += this.s.slice(open, this.i);
    w.dynamic = true;
  }
}

/** Spelled as a bare word, so it can be a reserved word (`{` counts although it is also a brace character). */
function isPlain(w: ShellWord): boolean {
  return !w.quoted && !w.dynamic && (!w.glob || w.text === '{');
}

/** Index of the `}` closing the `{` at `open`, skipping quoted text; -1 when unbalanced. */
function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === "'") {
      const close = s.indexOf("'", j + 1);
      if (close < 0) return -1;
      j = close;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j;
  }
  return -1;
}

/** Splits a command line into simple commands (including those inside substitutions) and what could not be followed. */
export function splitShell(command: string, depth = 0): ShellSplit {
  const s = new Splitter(command, depth).run();
  return { commands: s.commands, uncertain: s.uncertain };
}
