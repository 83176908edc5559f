// Turns a command line into the simple commands bash would run, from a tree-sitter-bash syntax tree (shell-parser.ts).
// Like Codex's execpolicy, the walk knows an allow-list of node kinds and, inside expansions, of the anonymous tokens
// that may appear; anything else — an ERROR or MISSING node, a kind not listed, `${x@P}`, `${!x}`, arithmetic on
// variables, `coproc` — is reported in `uncertain`, which the engine turns into `ask`, never into `allow`. Commands
// found anywhere (substitutions, heredoc bodies, loop bodies, function bodies, even inside unparsed text) are still
// reported, so a denied command binds wherever it hides.
import type Parser from 'web-tree-sitter';
import { resetShellParser, shellParserState } from './shell-parser.js';

export interface ShellWord {
  /** The word after quote removal; substitutions and expansions stay as written. */
  text: string;
  /** Contains a `$VAR`, `${...}`, `$(...)`, backticks or a process substitution: its value is unknown before running. */
  dynamic: boolean;
  /** Contains unquoted glob or brace characters. */
  glob: boolean;
  /** Starts with an unquoted `~` (or `$HOME`, rewritten to `~`). */
  tilde: boolean;
  /** An unquoted `NAME=value` assignment. */
  assignment: boolean;
  /** Some part was quoted or escaped (a quoted `if` is a command name, not a reserved word). */
  quoted?: boolean;
  /** Starts with `$PWD` or `~+`: `text` is the rest (e.g. `/.env`), relative to the working directory at run time. */
  pwd?: boolean;
  /** A loop variable standing alone (`"$f"`): the words it takes in turn; paths are decided on each of them. */
  alternatives?: ShellWord[];
}

export interface ShellRedirect {
  kind: 'read' | 'write';
  op: string;
  target: ShellWord;
}

export interface SimpleCommand {
  words: ShellWord[];
  redirects: ShellRedirect[];
  /** What a heredoc or here-string feeds the command on its standard input. */
  stdin?: ShellWord;
  /** Calls a function defined earlier in the line, whose body was analysed where it was defined. */
  function?: boolean;
  /** The words of the simple command piped into this one (`find src | xargs grep`), when there is one. */
  pipedFrom?: ShellWord[];
}

export interface ShellSplit {
  commands: SimpleCommand[];
  uncertain: string[];
  /** The named syntax node kinds seen, sorted (what `tiller check --json` shows). */
  syntax: string[];
  /** The first syntax error, when the line does not parse as bash. */
  parseError?: string;
}

/** Longer lines are not parsed: they ask. */
export const MAX_COMMAND_LENGTH = 100_000;
/** Deeper trees are not walked (each level is a JavaScript frame or three). */
const MAX_TREE_DEPTH = 400;

/** Named kinds that only group statements: their named children are visited, their tokens must be listed below. */
const GROUPING = new Set([
  'program',
  'list',
  'pipeline',
  'subshell',
  'compound_statement',
  'do_group',
  'if_statement',
  'elif_clause',
  'else_clause',
  'while_statement',
  'negated_command',
]);
const STRUCTURE_TOKENS = new Set([
  ';',
  '&',
  '&&',
  '||',
  '|',
  '|&',
  '\n',
  '(',
  ')',
  '{',
  '}',
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'while',
  'until',
  'do',
  'done',
  'for',
  'in',
  'case',
  'esac',
  ';;',
  ';&',
  ';;&',
  '!',
  'function',
  '((',
  '))',
  '[[',
  ']]',
]);
/** Operators allowed inside `${...}` besides the name: defaults, pattern removal and replacement, case changes. */
const EXPANSION_OPERATORS = new Set([':-', '-', ':=', '=', ':?', '?', ':+', '+', '#', '##', '%', '%%', '/', '//', '/#', '/%', '^', '^^', ',', ',,']);
/** `[[ a -eq b ]]` evaluates both sides as arithmetic, which runs code hidden in a variable's value (`a[$(cmd)]`). */
const ARITHMETIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
/** Parsed as plain command names by the grammar, but bash gives them a meaning the analysis does not follow. */
const RESERVED_COMMANDS = new Set(['coproc', 'select']);
/** Standalone assignments to these change what later commands run or read (PATH lookup, startup files, IFS). */
const LOWERCASE_ENVIRONMENT = new Set(['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'ftp_proxy']);

const WORD_KINDS = new Set([
  'word',
  'number',
  'raw_string',
  'string',
  'ansi_c_string',
  'translated_string',
  'concatenation',
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression',
  'extglob_pattern',
  'regex',
  'special_variable_name',
  'variable_name',
  'array',
  'string_content',
]);

interface Piece {
  text: string;
  dynamic: boolean;
  glob: boolean;
  quoted: boolean;
  tilde?: boolean;
  special?: 'pwd' | 'home';
  alternatives?: ShellWord[];
}

/** Whether the character at `at` begins a word for bash: nothing before it, or an unescaped blank or operator. */
function startsAWord(source: string, at: number): boolean {
  if (at <= 0) return true;
  const before = source[at - 1]!;
  if (!/[\s;&|()<>]/.test(before)) return false;
  let backslashes = 0;
  for (let i = at - 2; i >= 0 && source[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

class Walker {
  readonly commands: SimpleCommand[] = [];
  readonly uncertain: string[] = [];
  readonly kinds = new Set<string>();
  /** Functions defined so far (top level only), by name. */
  readonly functions = new Set<string>();
  /** Loop variables bound to the static words they range over (`for f in a b; do cat "$f"; done`). */
  private readonly loops = new Map<string, ShellWord[]>();

  constructor(
    private readonly staticVariables: boolean,
    private readonly source: string,
  ) {}

  note(reason: string): void {
    if (!this.uncertain.includes(reason)) this.uncertain.push(reason);
  }

  /**
   * Bash starts a comment only where `#` begins a word: at the start, or after an unescaped blank or an operator. The
   * grammar also takes `#` after an escaped blank (`"x"\ # $(cmd)`) for a comment, where bash reads one word and runs
   * what follows (the differential test found this). A comment the grammar saw where bash would not is not decided.
   */
  private comment(node: Parser.SyntaxNode): void {
    if (!startsAWord(this.source, node.startIndex)) this.note('has a `#` that bash does not read as a comment (it follows an escaped character)');
  }

  statement(node: Parser.SyntaxNode, depth: number): void {
    if (depth > MAX_TREE_DEPTH) {
      this.note('the command nests too deeply to analyse');
      return;
    }
    const type = node.type;
    if (node.isNamed()) this.kinds.add(type);
    switch (type) {
      case 'comment':
        this.comment(node);
        return;
      case 'command':
        this.command(node, [], depth);
        return;
      case 'redirected_statement':
        this.redirected(node, depth);
        return;
      case 'variable_assignment':
        this.assignment(node, depth);
        return;
      case 'declaration_command':
      case 'unset_command':
        this.declaration(node, depth);
        return;
      case 'test_command':
        this.test(node, depth);
        return;
      case 'function_definition': {
        // The body is decided as if it ran here: a function can only run what its body says. Called later in the
        // line, the function needs no allow rule of its own — only when it is defined unconditionally, at the top
        // level, before the call (otherwise the name may still run a program of that name).
        const name = node.namedChildren.find((c) => c.type === 'word');
        for (const c of node.namedChildren) {
          if (c !== name) this.statement(c, depth + 1);
        }
        if (name && node.parent?.type === 'program') this.functions.add(name.text);
        return;
      }
      case 'for_statement':
        this.forLoop(node, depth);
        return;
      case 'c_style_for_statement':
        this.note('an arithmetic `for ((...))` loop, which evaluates variables as arithmetic');
        this.anything(node, depth);
        return;
      case 'case_statement':
        this.caseStatement(node, depth);
        return;
      case 'ERROR':
        this.anything(node, depth);
        return;
      case 'file_redirect': {
        // `$(<file)` reads the file; a redirection on its own opens its target.
        const redirects: ShellRedirect[] = [];
        this.fileRedirect(node, redirects, depth);
        this.commands.push({ words: [], redirects });
        return;
      }
      case 'pipeline':
        this.pipeline(node, depth);
        return;
      default:
        if (GROUPING.has(type)) {
          for (const c of node.children) {
            if (c.isNamed()) this.statement(c, depth + 1);
            else if (!STRUCTURE_TOKENS.has(c.type)) this.note(`unexpected \`${c.type}\``);
          }
          return;
        }
        if (WORD_KINDS.has(type)) {
          this.word(node, depth);
          return;
        }
        this.note(`uses syntax this analysis does not follow (\`${type}\`)`);
        this.anything(node, depth);
    }
  }

  /**
   * A pipeline's members in order. A simple command fed by another simple command learns its producer's words: what
   * `xargs` appends comes from there, and a producer that only lists a directory bounds those arguments to it.
   */
  private pipeline(node: Parser.SyntaxNode, depth: number): void {
    let producer: ShellWord[] | undefined;
    for (const c of node.children) {
      if (!c.isNamed()) {
        if (!STRUCTURE_TOKENS.has(c.type)) this.note(`unexpected \`${c.type}\``);
        continue;
      }
      const before = this.commands.length;
      this.statement(c, depth + 1);
      // command() pushes the command itself last, after any command its substitutions hold.
      const own = c.type === 'command' && this.commands.length > before ? this.commands[this.commands.length - 1] : undefined;
      if (own && producer) own.pipedFrom = producer;
      producer = own?.words;
    }
  }

  /** Visits whatever a node holds for the commands in it, with no claim to understand it (already noted by the caller). */
  private anything(node: Parser.SyntaxNode, depth: number): void {
    if (depth > MAX_TREE_DEPTH) {
      this.note('the command nests too deeply to analyse');
      return;
    }
    for (const c of node.namedChildren) {
      if (c.type === 'command' || c.type === 'redirected_statement' || GROUPING.has(c.type) || c.type === 'function_definition') {
        this.statement(c, depth + 1);
      } else if (WORD_KINDS.has(c.type)) {
        this.word(c, depth + 1);
      } else {
        if (c.isNamed()) this.kinds.add(c.type);
        this.anything(c, depth + 1);
      }
    }
  }

  private command(node: Parser.SyntaxNode, outer: ShellRedirect[], depth: number, stdin?: ShellWord): void {
    const words: ShellWord[] = [];
    const redirects: ShellRedirect[] = [];
    let sawName = false;
    for (const c of node.children) {
      if (c.isNamed()) this.kinds.add(c.type);
      if (c.type === 'variable_assignment' && !sawName) {
        words.push(this.assignmentWord(c, depth));
      } else if (c.type === 'command_name') {
        sawName = true;
        const inner = c.namedChildren;
        const pieces = inner.map((n) => this.pieces(n, depth + 1)).flat();
        const w = fold(pieces, this.staticVariables);
        if (!w.quoted && !w.dynamic && RESERVED_COMMANDS.has(w.text)) this.note(`uses \`${w.text}\`, which this analysis does not follow`);
        words.push(w);
      } else if (c.type === 'file_redirect') {
        this.fileRedirect(c, redirects, depth);
      } else if (c.type === 'herestring_redirect' || c.type === 'heredoc_redirect') {
        stdin = this.stdinRedirect(c, redirects, depth) ?? stdin;
      } else if (WORD_KINDS.has(c.type)) {
        words.push(this.word(c, depth));
      } else if (c.type === 'comment') {
        this.comment(c);
        continue;
      } else {
        this.note(`uses syntax this analysis does not follow (\`${c.type}\` in a command)`);
        this.anything(c, depth);
      }
    }
    const head = words.find((w) => !w.assignment);
    const isFunction = !!head && !head.quoted && !head.dynamic && this.functions.has(head.text);
    this.commands.push({ words, redirects: [...redirects, ...outer], ...(stdin ? { stdin } : {}), ...(isFunction ? { function: true } : {}) });
  }

  private redirected(node: Parser.SyntaxNode, depth: number): void {
    const redirects: ShellRedirect[] = [];
    let stdin: ShellWord | undefined;
    const bodies: Parser.SyntaxNode[] = [];
    for (const c of node.namedChildren) {
      this.kinds.add(c.type);
      if (c.type === 'file_redirect') this.fileRedirect(c, redirects, depth);
      else if (c.type === 'heredoc_redirect' || c.type === 'herestring_redirect') stdin = this.stdinRedirect(c, redirects, depth) ?? stdin;
      else bodies.push(c);
    }
    const [body, ...rest] = bodies;
    if (body?.type === 'command' && rest.length === 0) {
      this.command(body, redirects, depth + 1, stdin);
      return;
    }
    for (const b of bodies) this.statement(b, depth + 1);
    // Redirections of a compound command: decided as writes and reads on their own.
    this.commands.push({ words: [], redirects, ...(stdin ? { stdin } : {}) });
  }

  private fileRedirect(node: Parser.SyntaxNode, redirects: ShellRedirect[], depth: number): void {
    let op = '';
    let target: ShellWord | undefined;
    for (const c of node.children) {
      if (c.type === 'file_descriptor') continue;
      if (!c.isNamed()) {
        op += c.type;
        continue;
      }
      if (target) {
        this.note('a redirection with more than one target');
        this.word(c, depth);
        continue;
      }
      target = this.word(c, depth);
    }
    if (!target) {
      if (op === '>&-' || op === '<&-') return;
      this.note(`redirection \`${op}\` without a target`);
      return;
    }
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
    if (!['<', '>', '>>', '&>', '&>>', '>|', '>&'].includes(op)) {
      this.note(`unusual redirection \`${op}\``);
      return;
    }
    redirects.push({ kind: op === '<' ? 'read' : 'write', op, target });
  }

  /** A heredoc or here-string: returns the text fed to standard input (dynamic when it expands anything). */
  private stdinRedirect(node: Parser.SyntaxNode, redirects: ShellRedirect[], depth: number): ShellWord | undefined {
    if (node.type === 'herestring_redirect') {
      const value = node.namedChildren.filter((c) => WORD_KINDS.has(c.type)).map((c) => this.word(c, depth));
      return value[0];
    }
    let quotedDelimiter = false;
    let delimiter = '';
    let stripTabs = false;
    let ended = false;
    let body: ShellWord | undefined;
    for (const c of node.children) {
      if (c.isNamed()) this.kinds.add(c.type);
      if (!c.isNamed()) {
        if (c.type === '<<-') stripTabs = true;
        else if (c.type !== '<<') this.statementToken(c);
        continue;
      }
      switch (c.type) {
        case 'heredoc_start':
          quotedDelimiter = /['"\\]/.test(c.text);
          delimiter = c.text.replace(/\\(.)/g, '$1').replace(/['"]/g, '');
          break;
        case 'heredoc_end': {
          ended = true;
          // Bash ends a heredoc only at a line that is exactly the delimiter (after tabs, for `<<-`); the grammar also
          // ends it at `EOF && more`. Then bash reads on, and what the grammar took for commands is heredoc text.
          const lineStart = this.source.lastIndexOf('\n', c.startIndex - 1) + 1;
          const lineEnd = this.source.indexOf('\n', c.startIndex);
          const line = this.source.slice(lineStart, lineEnd < 0 ? this.source.length : lineEnd);
          if ((stripTabs ? line.replace(/^\t+/, '') : line) !== delimiter) {
            this.note(`the heredoc delimiter \`${delimiter}\` is not on a line of its own, so bash reads past it`);
          }
          break;
        }
        case 'heredoc_body': {
          if (quotedDelimiter) {
            body = literal(c.text);
            break;
          }
          let dynamic = false;
          const covered: Array<[number, number]> = [];
          for (const part of c.namedChildren) {
            if (part.type === 'heredoc_content') continue;
            dynamic = true;
            covered.push([part.startIndex, part.endIndex]);
            this.word(part, depth + 1);
          }
          // Bash expands `$(...)`, `${...}`, `$[...]` and backticks in an unquoted heredoc; the grammar misses some
          // (backticks never become nodes). One outside the nodes it found is an expansion it did not see.
          const text = this.source;
          for (let i = c.startIndex; i < c.endIndex; i++) {
            const ch = text[i];
            if (ch === '\\') {
              i++;
              continue;
            }
            const opens = ch === '`' || (ch === '$' && /[({[\w@*#?$!-]/.test(text[i + 1] ?? ''));
            if (opens && !covered.some(([a, b]) => i >= a && i < b)) {
              this.note('a heredoc body with an expansion the analysis could not follow');
              dynamic = true;
              break;
            }
          }
          body = { ...literal(c.text), dynamic };
          break;
        }
        case 'file_redirect':
          this.fileRedirect(c, redirects, depth);
          break;
        default:
          // The grammar hangs what follows `<<EOF` on the same line (`| cmd`, `&& cmd`) under the heredoc.
          this.statement(c, depth + 1);
      }
    }
    if (!ended) this.note('a heredoc without its closing delimiter line (bash reads it to the end of the input)');
    return body;
  }

  private statementToken(token: Parser.SyntaxNode): void {
    if (!STRUCTURE_TOKENS.has(token.type)) this.note(`unexpected \`${token.type}\``);
  }

  private assignment(node: Parser.SyntaxNode, depth: number): void {
    const w = this.assignmentWord(node, depth);
    const name = w.text.slice(0, w.text.search(/\+?=/));
    if (/[A-Z]/.test(name) || LOWERCASE_ENVIRONMENT.has(name)) {
      this.note(`assigns \`${name}\`, which may change what later commands run or read`);
    }
  }

  private assignmentWord(node: Parser.SyntaxNode, depth: number): ShellWord {
    let text = '';
    const value: Piece[] = [];
    for (const c of node.children) {
      if (c.type === 'variable_name') text += c.text;
      else if (c.type === 'subscript') {
        this.note('assigns an array element (its index is arithmetic)');
        text += c.text;
      } else if (!c.isNamed()) text += c.type;
      else value.push(...this.pieces(c, depth + 1));
    }
    const v = fold(value, this.staticVariables);
    return { ...v, text: text + v.text, assignment: true, tilde: false, glob: false };
  }

  private declaration(node: Parser.SyntaxNode, depth: number): void {
    const words: ShellWord[] = [];
    for (const c of node.children) {
      if (!c.isNamed()) {
        words.push(literal(c.type));
        continue;
      }
      this.kinds.add(c.type);
      if (c.type === 'variable_assignment') words.push(this.assignmentWord(c, depth));
      else words.push(this.word(c, depth));
    }
    // `unset -f f` (or `unset f`): a later `f` may be a program again, so it is no longer taken for the function.
    if (words[0]?.text === 'unset') for (const w of words.slice(1)) this.functions.delete(w.text);
    if (words.some((w, i) => i > 0 && /^-[a-zA-Z]*[inl]/.test(w.text))) {
      this.note(`\`${words[0]?.text ?? 'declare'}\` with an attribute that evaluates or redirects variables (-i, -n, -l)`);
    }
    this.commands.push({ words, redirects: [] });
  }

  private test(node: Parser.SyntaxNode, depth: number): void {
    const first = node.child(0)?.type;
    if (first === '((') {
      this.arithmetic(node, depth);
      return;
    }
    const visit = (n: Parser.SyntaxNode, d: number): void => {
      if (d > MAX_TREE_DEPTH) return this.note('the command nests too deeply to analyse');
      if (n.isNamed()) this.kinds.add(n.type);
      if (n.type === 'binary_expression') {
        const op = n.children.find((c) => c.type === 'test_operator')?.text;
        if (op && ARITHMETIC_TESTS.has(op) && n.namedChildren.some((c) => c.type !== 'test_operator' && c.type !== 'number')) {
          this.note(`\`[[ ... ${op} ... ]]\` evaluates its operands as arithmetic`);
        }
      }
      if (n.type === 'unary_expression' && n.children.some((c) => c.type === 'test_operator' && c.text === '-v')) {
        this.note('`[[ -v ... ]]` evaluates an array index');
      }
      for (const c of n.namedChildren) {
        if (WORD_KINDS.has(c.type)) this.word(c, d + 1);
        else if (c.type !== 'test_operator') visit(c, d + 1);
      }
    };
    visit(node, depth);
  }

  private forLoop(node: Parser.SyntaxNode, depth: number): void {
    if (node.child(0)?.type === 'select') this.note('uses `select`, which reads from the terminal');
    const variable = node.namedChildren.find((c) => c.type === 'variable_name')?.text;
    const values: ShellWord[] = [];
    const bodies: Parser.SyntaxNode[] = [];
    for (const c of node.namedChildren) {
      this.kinds.add(c.type);
      if (c.type === 'variable_name') continue;
      if (c.type === 'do_group') bodies.push(c);
      else if (WORD_KINDS.has(c.type)) values.push(this.word(c, depth + 1));
      else this.statement(c, depth + 1);
    }
    // In the body, `$f` stands for each value in turn. Bound only when every value is a plain word that cannot turn
    // into an option or split into several (a glob must start with a literal character that is not `-`).
    // Nothing else in the line may name the variable (an assignment, `read`, a function that sets it, another loop).
    const named = (v: string) => {
      const rest = this.source.replace(new RegExp(`\\$\\{?${v}\\b\\}?`, 'g'), '').replace(new RegExp(`\\bfor\\s+${v}\\b`), '');
      return new RegExp(`(^|[^\\w])${v}($|[^\\w])`).test(rest);
    };
    const bindable =
      variable !== undefined &&
      values.length > 0 &&
      !named(variable) &&
      values.every((v) => !v.dynamic && !v.tilde && !v.pwd && !v.assignment && /^[^-*?[{\s]/.test(v.text) && !/\s/.test(v.text));
    const previous = variable === undefined ? undefined : this.loops.get(variable);
    if (variable !== undefined) {
      if (bindable) this.loops.set(variable, values);
      else this.loops.delete(variable);
    }
    for (const b of bodies) this.statement(b, depth + 1);
    if (variable !== undefined) {
      if (previous) this.loops.set(variable, previous);
      else this.loops.delete(variable);
    }
  }

  private caseStatement(node: Parser.SyntaxNode, depth: number): void {
    for (const c of node.namedChildren) {
      this.kinds.add(c.type);
      if (c.type !== 'case_item') {
        this.word(c, depth + 1);
        continue;
      }
      // Patterns (before the `)`) are matched, not run; values in them may still hold substitutions. The rest is the
      // item's body.
      let inBody = false;
      for (const part of c.children) {
        if (!part.isNamed()) {
          if (part.type === ')') inBody = true;
          continue;
        }
        if (!inBody) this.word(part, depth + 2);
        else this.statement(part, depth + 2);
      }
    }
  }

  private arithmetic(node: Parser.SyntaxNode, depth: number): void {
    let variables = false;
    const visit = (n: Parser.SyntaxNode, d: number): void => {
      if (d > MAX_TREE_DEPTH) return this.note('the command nests too deeply to analyse');
      for (const c of n.namedChildren) {
        this.kinds.add(c.type);
        if (c.type === 'number') continue;
        if (c.type === 'command_substitution' || c.type === 'process_substitution') {
          variables = true;
          this.word(c, d + 1);
          continue;
        }
        if (c.type === 'binary_expression' || c.type === 'unary_expression' || c.type === 'parenthesized_expression' || c.type === 'ternary_expression') {
          visit(c, d + 1);
          continue;
        }
        variables = true;
        if (WORD_KINDS.has(c.type)) this.word(c, d + 1);
        else visit(c, d + 1);
      }
    };
    visit(node, depth);
    if (variables) this.note('arithmetic on variables or substitutions (bash evaluates their values as code)');
  }

  word(node: Parser.SyntaxNode, depth: number): ShellWord {
    return fold(this.pieces(node, depth), this.staticVariables);
  }

  /** The pieces a word-like node is made of; visits the commands inside substitutions on the way. */
  private pieces(node: Parser.SyntaxNode, depth: number): Piece[] {
    if (depth > MAX_TREE_DEPTH) {
      this.note('the command nests too deeply to analyse');
      return [{ text: node.text, dynamic: true, glob: false, quoted: false }];
    }
    if (node.isNamed()) this.kinds.add(node.type);
    const dyn = (): Piece[] => [{ text: node.text, dynamic: true, glob: false, quoted: false }];
    switch (node.type) {
      case 'word': {
        const { blank, ...piece } = unquoted(node.text);
        // An unquoted word never holds a blank in bash: the grammar and bash split this line differently.
        if (blank) this.note('a word that bash splits or expands where the grammar does not (an unquoted blank, `$`, `` ` `` or `<(` in it)');
        return [piece];
      }
      case 'number':
      case 'regex':
      case 'variable_name':
      case 'special_variable_name':
        return [{ text: node.text, dynamic: false, glob: false, quoted: false }];
      case 'extglob_pattern':
        return [{ text: node.text, dynamic: false, glob: true, quoted: false }];
      case 'brace_expression':
        return [{ text: node.text, dynamic: false, glob: true, quoted: false }];
      case 'raw_string':
        return [{ text: node.text.slice(1, -1), dynamic: false, glob: false, quoted: true }];
      case 'string_content':
        return [{ text: unescapeDouble(node.text), dynamic: false, glob: false, quoted: true }];
      case 'string': {
        const out: Piece[] = [];
        for (const c of node.children) {
          if (c.type === '"') continue;
          if (c.type === '$') out.push({ text: '$', dynamic: false, glob: false, quoted: true });
          else if (c.type === 'string_content') out.push({ text: unescapeDouble(c.text), dynamic: false, glob: false, quoted: true });
          else if (c.isNamed()) out.push(...this.pieces(c, depth + 1).map((p) => ({ ...p, glob: false, tilde: false, quoted: true })));
          else {
            this.note(`unexpected \`${c.type}\` in a double-quoted string`);
            out.push({ text: c.text, dynamic: true, glob: false, quoted: true });
          }
        }
        if (out.length === 0) out.push({ text: '', dynamic: false, glob: false, quoted: true });
        return out;
      }
      case 'ansi_c_string':
        // The grammar ends `$'\''` at the escaped quote; bash does not. A string that does not close the way bash
        // reads it means the two disagree about everything after it.
        if (!/^\$'(?:[^'\\]|\\[\s\S])*'$/.test(node.text)) this.note("a `$'...'` string that bash reads differently");
        return [{ text: node.text, dynamic: true, glob: false, quoted: true }];
      case 'translated_string':
        // `$'\x72m'` can spell any byte and `$"..."` is translated at run time: their values count as unknown.
        return [{ text: node.text, dynamic: true, glob: false, quoted: true }];
      case 'concatenation': {
        const out = node.children.flatMap((c) => this.pieces(c, depth + 1));
        // Only the first piece may start with a tilde.
        return out.map((p, i) => (i === 0 ? p : { ...p, tilde: false }));
      }
      case 'simple_expansion': {
        const name = node.namedChildren[0]?.text ?? '';
        const bound = this.loops.get(name);
        if (bound) return [{ text: node.text, dynamic: false, glob: false, quoted: false, alternatives: bound }];
        if (name === 'PWD') return [{ text: '', dynamic: false, glob: false, quoted: false, special: 'pwd' }];
        if (name === 'HOME') return [{ text: '', dynamic: false, glob: false, quoted: false, special: 'home' }];
        return dyn();
      }
      case 'expansion':
        return this.expansion(node, depth);
      case 'command_substitution':
        if (node.text.startsWith('$((') && node.text.endsWith('))')) {
          // In heredoc bodies the grammar reads `$((1 + 2))` as a substitution of a subshell; bash reads arithmetic.
          if (!/^\$\(\([\d\s+\-*/%()<>=!&|^~?:,]*\)\)$/.test(node.text)) {
            this.note('arithmetic on variables or substitutions (bash evaluates their values as code)');
            for (const c of node.namedChildren) this.statement(c, depth + 1);
          }
          return dyn();
        }
        if (node.child(0)?.type === '`' && node.text.includes('\\')) {
          // Backslashes inside backticks are unescaped before bash parses the inner command; the grammar does not.
          this.note('a backtick substitution with backslashes in it');
        }
        for (const c of node.namedChildren) this.statement(c, depth + 1);
        return dyn();
      case 'process_substitution':
        for (const c of node.namedChildren) this.statement(c, depth + 1);
        return dyn();
      case 'arithmetic_expansion':
        this.arithmetic(node, depth);
        return dyn();
      case 'array':
        for (const c of node.namedChildren) this.word(c, depth + 1);
        return dyn();
      default:
        if (node.type === 'ERROR' || !node.isNamed()) {
          this.anything(node, depth);
          return dyn();
        }
        this.note(`uses syntax this analysis does not follow (\`${node.type}\` in a word)`);
        this.anything(node, depth);
        return dyn();
    }
  }

  private expansion(node: Parser.SyntaxNode, depth: number): Piece[] {
    const inner = node.children.slice(1, -1);
    const dyn: Piece[] = [{ text: node.text, dynamic: true, glob: false, quoted: false }];
    for (let i = 0; i < inner.length; i++) {
      const c = inner[i]!;
      if (!c.isNamed()) {
        if (c.type === '!' && i === 0) this.note('indirect expansion `${!...}`');
        else if (c.type === '#' && i === 0) continue;
        else if (c.type === '@') this.note('a `${...@...}` transformation (prompt expansion runs code)');
        else if (c.type === ':') {
          // `${x:offset:length}`: offset and length are arithmetic; plain numbers only.
          const next = inner[i + 1];
          if (next && next.type !== 'number' && next.type !== ':') this.note('a substring expansion with an arithmetic offset');
        } else if (!EXPANSION_OPERATORS.has(c.type)) this.note(`unexpected \`${c.type}\` in \`\${...}\``);
        continue;
      }
      this.kinds.add(c.type);
      if (c.type === 'variable_name' || c.type === 'special_variable_name') continue;
      if (c.type === 'subscript') {
        const index = c.namedChildren[1];
        if (!index || !/^(\d+|@|\*)$/.test(index.text)) this.note('an array index, which bash evaluates as arithmetic');
        continue;
      }
      const prev = inner[i - 1];
      if (prev?.type === ':' && c.type !== 'number') this.note('a substring expansion with an arithmetic offset');
      this.pieces(c, depth + 1);
    }
    const names = inner.filter((c) => c.type === 'variable_name');
    if (inner.length === 1 && names.length === 1) {
      const bound = this.loops.get(names[0]!.text);
      if (bound) return [{ text: node.text, dynamic: false, glob: false, quoted: false, alternatives: bound }];
      if (names[0]!.text === 'PWD') return [{ text: '', dynamic: false, glob: false, quoted: false, special: 'pwd' }];
      if (names[0]!.text === 'HOME') return [{ text: '', dynamic: false, glob: false, quoted: false, special: 'home' }];
    }
    return dyn;
  }
}

function literal(text: string): ShellWord {
  return { text, dynamic: false, glob: false, tilde: false, assignment: false };
}

/** An unquoted word: backslashes escape, `\`-newline vanishes, unescaped `*?[{` may expand. */
function unquoted(raw: string): Piece & { blank: boolean } {
  let blank = false;
  let text = '';
  let glob = false;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const n = raw[i + 1];
      if (n === '\n') {
        i++;
        continue;
      }
      if (n !== undefined) {
        text += n;
        quoted = true;
        i++;
        continue;
      }
    }
    if (c === '*' || c === '?' || c === '[' || c === '{') glob = true;
    if (c === ' ' || c === '\t' || c === '\n') blank = true;
    // Expansions are nodes of their own; one left inside a word is one the grammar did not see.
    if (c === '`' || (c === '$' && /[({[\w@*#?$!-]/.test(raw[i + 1] ?? '')) || ((c === '<' || c === '>') && raw[i + 1] === '(')) blank = true;
    text += c;
  }
  return { text, dynamic: false, glob, quoted, tilde: raw.startsWith('~'), blank };
}

/** Inside double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and newline. */
function unescapeDouble(raw: string): string {
  return raw.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === '\n' ? '' : c));
}

/** Folds the pieces of one word into a ShellWord, rewriting a leading `$HOME`/`$PWD`/`~+` to what can be decided. */
function fold(pieces: Piece[], staticVariables: boolean): ShellWord {
  const w: ShellWord = { text: '', dynamic: false, glob: false, tilde: false, assignment: false };
  if (pieces.length === 1 && pieces[0]!.alternatives) return { ...w, text: pieces[0]!.text, alternatives: pieces[0]!.alternatives };
  // A loop variable inside a longer word (`src/$f.bak`) is not followed: unknown.
  if (pieces.some((p) => p.alternatives)) pieces = pieces.map((p) => (p.alternatives ? { ...p, alternatives: undefined, dynamic: true } : p));
  pieces.forEach((p, i) => {
    if (p.special) {
      if (i === 0 && staticVariables) {
        if (p.special === 'home') {
          w.tilde = true;
          w.text += '~';
        } else w.pwd = true;
      } else {
        w.dynamic = true;
        w.text += p.special === 'home' ? '$HOME' : '$PWD';
      }
      return;
    }
    w.text += p.text;
    if (p.dynamic) w.dynamic = true;
    if (p.glob) w.glob = true;
    if (p.quoted) w.quoted = true;
    if (i === 0 && p.tilde && !p.quoted) w.tilde = true;
  });
  if (w.tilde && !w.pwd) {
    if (w.text.startsWith('~+') && (w.text.length === 2 || w.text[2] === '/')) {
      w.tilde = false;
      w.pwd = true;
      w.text = w.text.slice(2);
    } else if (w.text.startsWith('~-') && (w.text.length === 2 || w.text[2] === '/')) {
      w.dynamic = true;
    }
  }
  if (w.pwd && w.text !== '' && !w.text.startsWith('/')) {
    // `$PWDx` is another variable's name; `${PWD}x` a name glued on: neither is a path under the directory.
    w.dynamic = true;
    w.pwd = false;
    w.text = `$PWD${w.text}`;
  }
  // `env X=1 cmd`: an unquoted `NAME=` start reads as an assignment to the programs that take them.
  const first = pieces[0];
  if (first && !first.quoted && !first.dynamic && !first.special && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(first.text)) w.assignment = true;
  return w;
}

function firstError(node: Parser.SyntaxNode): Parser.SyntaxNode | undefined {
  if (node.type === 'ERROR' || node.isMissing()) return node;
  if (!node.hasError()) return undefined;
  for (const c of node.children) {
    const found = firstError(c);
    if (found) return found;
  }
  return node;
}

function describeError(node: Parser.SyntaxNode): string {
  const at = `line ${node.startPosition.row + 1}, column ${node.startPosition.column + 1}`;
  if (node.isMissing()) return `the command does not parse as bash: missing \`${node.type}\` at ${at}`;
  const near = node.text.length > 40 ? `${node.text.slice(0, 40)}…` : node.text;
  return `the command does not parse as bash: unexpected \`${near.replace(/\n/g, '\\n')}\` at ${at}`;
}

/** Where an unquoted word node holds an unescaped newline (the first one), if any does. */
function newlineInWord(node: Parser.SyntaxNode, depth: number): number | undefined {
  if (depth > MAX_TREE_DEPTH) return undefined;
  if (node.type === 'word') {
    const raw = node.text;
    for (let i = 0; i < raw.length; i++) {
      if (raw[i] === '\\') i++;
      else if (raw[i] === '\n') return node.startIndex + i;
    }
    return undefined;
  }
  if (node.type === 'heredoc_body' || node.type === 'raw_string' || node.type === 'string' || node.type === 'comment') return undefined;
  for (const c of node.children) {
    const found = newlineInWord(c, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Kinds inside which a backslash-newline is kept by bash (single quotes, comments, quoted heredocs, `$'...'`). */
const KEEPS_CONTINUATION = new Set(['raw_string', 'comment', 'heredoc_body', 'heredoc_content', 'ansi_c_string']);

function withoutContinuations(root: Parser.SyntaxNode, command: string): string {
  const cut: number[] = [];
  for (let i = command.indexOf('\\\n'); i >= 0; i = command.indexOf('\\\n', i + 2)) {
    let slashes = 0;
    for (let j = i; j >= 0 && command[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) continue; // an escaped backslash, then a real newline
    let keep = false;
    for (let n: Parser.SyntaxNode | null = root.descendantForIndex(i, i + 1); n; n = n.parent) {
      if (KEEPS_CONTINUATION.has(n.type)) {
        keep = true;
        break;
      }
    }
    if (!keep) cut.push(i);
  }
  if (cut.length === 0) return command;
  let out = '';
  let from = 0;
  for (const i of cut) {
    out += command.slice(from, i);
    from = i + 2;
  }
  return out + command.slice(from);
}

/**
 * Splits a command line into the simple commands it would run (including those inside substitutions) and what could
 * not be followed.
 */
export function splitShell(line: string): ShellSplit {
  let command = line;
  const state = shellParserState();
  if (!state.ready) return { commands: [], uncertain: [state.reason], syntax: [] };
  if (command.length > MAX_COMMAND_LENGTH) {
    return { commands: [], uncertain: [`the command is longer than ${MAX_COMMAND_LENGTH} characters`], syntax: [] };
  }
  let tree: Parser.Tree;
  try {
    tree = state.parser.parse(command);
    // Bash removes a backslash-newline before it splits words (`r\<newline>m` is `rm`); the grammar treats one between
    // tokens as a blank. Those are removed and the line parsed again, so both read the same words.
    const joined = withoutContinuations(tree.rootNode, command);
    if (joined !== command) {
      tree.delete();
      command = joined;
      tree = state.parser.parse(command);
    }
    // The grammar sometimes starts a word with the newline before an escape (`hi` newline `\rm` reads as one word
    // `\n\rm`); for bash that newline ends the command. A `;` before it says the same to both, and the line is parsed
    // again (a few times at most; what is left is asked about as a word with a blank in it).
    for (let repairs = 0; repairs < 8; repairs++) {
      const at = newlineInWord(tree.rootNode, 0);
      if (at === undefined) break;
      tree.delete();
      command = `${command.slice(0, at)};${command.slice(at)}`;
      tree = state.parser.parse(command);
    }
  } catch (e) {
    resetShellParser();
    return { commands: [], uncertain: [`the shell parser failed on this command (${(e as Error).message})`], syntax: [] };
  }
  try {
    // `$HOME`/`$PWD` are expanded statically only when nothing in the line could reassign them.
    const staticVariables = !/(^|[^$\w{])(HOME|PWD)\b/.test(command);
    const walker = new Walker(staticVariables, command);
    // The grammar splits words at a carriage return and at Unicode blanks; bash keeps them inside the word.
    if (/[\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/.test(command)) {
      walker.note('contains a carriage return or a Unicode blank, which bash reads as part of a word');
    }
    const root = tree.rootNode;
    let parseError: string | undefined;
    const bad = firstError(root);
    if (bad) {
      parseError = describeError(bad);
      walker.note(parseError);
    }
    walker.statement(root, 0);
    const split: ShellSplit = { commands: walker.commands, uncertain: walker.uncertain, syntax: [...walker.kinds].sort() };
    if (parseError) split.parseError = parseError;
    return split;
  } finally {
    tree.delete();
  }
}
