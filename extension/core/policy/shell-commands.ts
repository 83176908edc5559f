// What each simple command really runs and touches: wrappers (`sudo`, `env`, `timeout`, `xargs`, ...) are peeled off
// to reach the wrapped command, `bash -c`/`eval` payloads and `find -exec` commands are analysed recursively, and the
// paths each command reads and writes are collected (shell-paths.ts).
import * as path from 'node:path';
import { splitShell, type ShellRedirect, type ShellWord, type SimpleCommand } from './shell.js';
import { classifyPaths, type PathEffects } from './shell-paths.js';
import { SHELLS, WRAPPERS, shellPayload, skipOptions, withoutGlobalOptions } from './shell-wrappers.js';

export interface CommandPart extends PathEffects {
  /** The command actually run (innermost after unwrapping); allow rules must match these words. */
  words: string[];
  /** Every spelling seen while unwrapping, outer to inner; deny and ask rules are checked against all of them. */
  forms: string[][];
  /** Only a carrier for a payload analysed separately (`bash -c`, `eval`): needs no allow of its own. */
  carrier: boolean;
  /** Every argument, checked against deny rules in case it names a secret. */
  args: ShellWord[];
}

export interface CommandAnalysis {
  parts: CommandPart[];
  redirects: ShellRedirect[];
  uncertain: string[];
}

const MAX_DEPTH = 8;

function texts(words: ShellWord[]): string[] {
  return words.map((w) => w.text);
}

function nameOf(w: ShellWord | undefined): string {
  if (!w) return '';
  return w.text.includes('/') ? path.posix.basename(w.text) : w.text;
}

function analyzeCommand(cmd: SimpleCommand, analysis: CommandAnalysis, depth: number): void {
  analysis.redirects.push(...cmd.redirects);
  let words = cmd.words;
  const assignments = words.filter((w, i) => w.assignment && words.slice(0, i).every((x) => x.assignment));
  words = words.slice(assignments.length);
  if (words.length === 0) return;
  analyzeWords(words, assignments, analysis, depth);
}

function analyzeWords(initial: ShellWord[], extraArgs: ShellWord[], analysis: CommandAnalysis, depth: number): void {
  const forms: string[][] = [];
  const allArgs = [...extraArgs, ...initial];
  let words = initial;
  for (let guard = 0; guard < 32 && words.length > 0; guard++) {
    const head = words[0]!;
    if (head.dynamic) analysis.uncertain.push('the command name is only known when it runs (a variable or substitution)');
    if (head.glob) analysis.uncertain.push('a glob in command position');
    forms.push(texts(words));
    const name = nameOf(head);
    if (name !== head.text) forms.push([name, ...texts(words.slice(1))]);
    if (name === 'trap') {
      // `trap 'cmd' SIGNAL` runs cmd later: analysed now as if it ran.
      const action = words.slice(1).find((w) => !w.text.startsWith('-'));
      if (action && words.length > 2) {
        if (action.dynamic) analysis.uncertain.push('`trap` with a command only known when it runs');
        addPayload(action.text, forms, allArgs, analysis, depth);
        return;
      }
      break;
    }
    if (name === 'eval') {
      if (words.slice(1).some((w) => w.dynamic)) analysis.uncertain.push('`eval` of text only known when it runs');
      addPayload(texts(words.slice(1)).join(' '), forms, allArgs, analysis, depth);
      return;
    }
    if (SHELLS.has(name)) {
      const payload = shellPayload(words);
      if (payload === undefined) {
        analysis.uncertain.push(`\`${name} -c\` without a command`);
      } else if (payload !== 'none') {
        if (payload.dynamic) analysis.uncertain.push(`\`${name} -c\` with a command only known when it runs`);
        addPayload(payload.text, forms, allArgs, analysis, depth);
        return;
      }
      break;
    }
    if (name === 'find') {
      findExecs(words, analysis, depth);
      break;
    }
    if (name === 'parallel') {
      const at = skipOptions(name, words, 1, analysis.uncertain);
      const end = words.findIndex((w, i) => i >= at && /^::::?\+?$/.test(w.text));
      const template = words.slice(at, end < 0 ? words.length : end);
      if (template.length > 0) {
        addPayload(texts(template).join(' '), forms, allArgs, analysis, depth);
        return;
      }
      break;
    }
    if (name === 'watch' && !words.some((w) => w.text === '-x' || w.text === '--exec')) {
      const at = skipOptions(name, words, 1, analysis.uncertain);
      if (at < words.length) {
        addPayload(texts(words.slice(at)).join(' '), forms, allArgs, analysis, depth);
        return;
      }
      break;
    }
    if (WRAPPERS.has(name)) {
      const at = skipOptions(name, words, 1, analysis.uncertain);
      if (name === 'xargs') {
        words.forEach((w, i) => {
          if ((w.text === '-a' || w.text === '--arg-file') && words[i + 1]) analysis.parts.push(readOnlyPart(words[i + 1]!));
        });
        // xargs with no command runs echo.
        words = at < words.length ? words.slice(at) : [{ ...words[0]!, text: 'echo', dynamic: false }];
        continue;
      }
      if (at >= words.length) break;
      words = words.slice(at);
      continue;
    }
    break;
  }
  const normalized = withoutGlobalOptions(texts(words));
  if (normalized) forms.push(normalized);
  const part: CommandPart = { words: texts(words), forms, carrier: false, reads: [], writes: [], recursiveReads: [], recursiveWrites: [], args: allArgs };
  classifyPaths(nameOf(words[0]), words, part);
  analysis.parts.push(part);
}

function readOnlyPart(file: ShellWord): CommandPart {
  return { words: [], forms: [], carrier: true, reads: [file], writes: [], recursiveReads: [], recursiveWrites: [], args: [file] };
}

function addPayload(payload: string, forms: string[][], args: ShellWord[], analysis: CommandAnalysis, depth: number): void {
  analysis.parts.push({ words: forms[forms.length - 1] ?? [], forms, carrier: true, reads: [], writes: [], recursiveReads: [], recursiveWrites: [], args });
  if (depth >= MAX_DEPTH) {
    analysis.uncertain.push('commands nested too deeply to analyse');
    return;
  }
  const inner = analyzeCommandLine(payload, depth + 1);
  analysis.parts.push(...inner.parts);
  analysis.redirects.push(...inner.redirects);
  analysis.uncertain.push(...inner.uncertain);
}

function findExecs(words: ShellWord[], analysis: CommandAnalysis, depth: number): void {
  for (let i = 1; i < words.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(words[i]!.text)) continue;
    let j = i + 1;
    while (j < words.length && words[j]!.text !== ';' && words[j]!.text !== '+') j++;
    const inner = words.slice(i + 1, j);
    if (inner.length > 0) analyzeWords(inner, [], analysis, depth + 1);
    i = j;
  }
}

/** Splits and unwraps a command line into the parts to decide. */
export function analyzeCommandLine(command: string, depth = 0): CommandAnalysis {
  const split = splitShell(command, depth);
  const analysis: CommandAnalysis = { parts: [], redirects: [], uncertain: [...split.uncertain] };
  for (const cmd of split.commands) analyzeCommand(cmd, analysis, depth);
  analysis.uncertain = [...new Set(analysis.uncertain)];
  return analysis;
}
