// Recognising a command that sits at an interactive prompt: after a silence, the last thing it printed looks
// like a question. The model cannot type into it, so the command must be killed and re-run non-interactively.

const PROMPT_ENDINGS: RegExp[] = [
  /\?$/, // "Continue?"
  /:$/, // "Username:"
  /\[[yn]\/[yn]\]$/i, // "[y/N]", "[Y/n]"
  /\((yes\/no)(\/\[[^\]]*\])?\)$/i, // "(yes/no)", "(yes/no/[fingerprint])"
  /password$/i,
];

export function looksLikePrompt(recentOutput: string): boolean {
  const lastBreak = recentOutput.lastIndexOf('\n');
  const lastLine = recentOutput.slice(lastBreak + 1);
  // "> " is only a prompt when the program left the cursor right after it (no newline).
  if (lastLine.endsWith('> ')) return true;
  const candidate = lastLine.trim() !== '' ? lastLine : (recentOutput.slice(0, Math.max(0, lastBreak)).split('\n').pop() ?? '');
  const trimmed = candidate.trim();
  if (trimmed === '') return false;
  return PROMPT_ENDINGS.some((re) => re.test(trimmed));
}
