// Secrets must never reach a trace, even when a tool echoes one back or the model repeats it. This catches the
// shapes of common credentials; registered values (the configured API key) are removed exactly.

const PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI-style keys
  /\bsk-ant-[A-Za-z0-9_-]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bxox[baprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /(?<=\bBearer\s)[A-Za-z0-9._~+/-]{16,}=*/g,
];

const registered = new Set<string>();

/** Remember a secret value (an API key from configuration) so it is removed wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) registered.add(value);
}

export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registered) if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  for (const re of PATTERNS) out = out.replace(re, '[REDACTED]');
  return out;
}
