// One redactor for every place a secret must not reach: traces and session logs (redactSecrets), and tool results
// before the model sees them (redactToolResult, which says what it did). It removes registered values exactly (the
// configured API key, MCP secrets) and the shapes of common credentials: well-known token prefixes, private keys,
// bearer tokens, and credentials written into URLs (`https://user:token@host`, as `git remote -v` prints them).
// Patterns catch shapes, not every secret: the deny list keeps secret files from being read at all.

interface SecretPattern {
  re: RegExp;
  /** What the marker says was found. */
  kind: string;
  /** Builds the replacement from the match, or undefined when it is no secret after all; `[REDACTED]` when omitted. */
  replace?: (match: string, ...groups: string[]) => string | undefined;
}

const PATTERNS: SecretPattern[] = [
  // userinfo in a URL: `scheme://user:password@host` or `scheme://token@host`; the scheme and host stay readable.
  {
    re: /\b([a-z][a-z0-9+.-]{1,15}:\/\/)([^\s/@:"'`<>]+(?::[^\s/@"'`<>]*)?)@(?=[^\s/@"'`<>]+)/gi,
    kind: 'URL credentials',
    // `ssh://git@host` names a user, not a secret: only a password, or a user part long enough to be a token, is.
    replace: (_m, scheme: string, userinfo: string) => (userinfo.includes(':') || userinfo.length >= 20 ? `${scheme}[REDACTED]@` : undefined),
  },
  { re: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, kind: 'private key' },
  { re: /\bsk-ant-[A-Za-z0-9_-]{16,}/g, kind: 'Anthropic key' },
  { re: /\bsk-[A-Za-z0-9_-]{16,}/g, kind: 'API key (sk-)' },
  { re: /\bgithub_pat_[A-Za-z0-9_]{20,}/g, kind: 'GitHub token' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{20,}/g, kind: 'GitHub token' },
  { re: /\bglpat-[A-Za-z0-9_-]{20,}/g, kind: 'GitLab token' },
  { re: /\bxox[baprs]-[A-Za-z0-9-]{10,}/g, kind: 'Slack token' },
  { re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, kind: 'AWS access key id' },
  { re: /\bAIza[0-9A-Za-z_-]{35}\b/g, kind: 'Google API key' },
  { re: /\bnpm_[A-Za-z0-9]{36}\b/g, kind: 'npm token' },
  { re: /\bhvs\.[A-Za-z0-9_-]{24,}/g, kind: 'Vault token' },
  { re: /(?<=\bBearer\s)[A-Za-z0-9._~+/-]{16,}=*/g, kind: 'bearer token' },
];

const registered = new Set<string>();

/** Remember a secret value (an API key from configuration) so it is removed wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) registered.add(value);
}

export interface Redaction {
  text: string;
  /** How many secrets were removed, by kind. */
  found: Map<string, number>;
}

export function redact(text: string): Redaction {
  const found = new Map<string, number>();
  const count = (kind: string, n: number) => n > 0 && found.set(kind, (found.get(kind) ?? 0) + n);
  let out = text;
  for (const secret of registered) {
    if (!out.includes(secret)) continue;
    const parts = out.split(secret);
    count('configured secret', parts.length - 1);
    out = parts.join('[REDACTED]');
  }
  for (const { re, kind, replace } of PATTERNS) {
    let n = 0;
    out = out.replace(re, (...args: string[]) => {
      const replaced = replace ? replace(...(args as [string, ...string[]])) : '[REDACTED]';
      if (replaced === undefined) return args[0]!;
      n++;
      return replaced;
    });
    count(kind, n);
  }
  return { text: out, found };
}

export function redactSecrets(text: string): string {
  return redact(text).text;
}

/** A tool result as the model may see it: secrets replaced, and a line saying that (and what kinds) was done. */
export function redactToolResult(text: string): string {
  const { text: out, found } = redact(text);
  if (found.size === 0) return out;
  const total = [...found.values()].reduce((a, b) => a + b, 0);
  const kinds = [...found.keys()].join(', ');
  return `${out}\n[Tiller redacted ${total} secret${total === 1 ? '' : 's'} (${kinds}) from this result before you saw it; they appear as [REDACTED]. Do not try to recover them.]`;
}
