// Decisions for `net(HOST)`: which hosts a sandboxed command may reach through the sandbox's proxy. With no rule the
// network asks (the sandbox keeps it off; a person may grant it for one command). Deny beats ask beats allow, as for
// every other kind, and a project's allow arrives here only after the user consented to it (the harness filters it).
import { matchGlob } from './glob.js';
import { fromRule, named } from './file-decision.js';
import type { Rule } from './rules.js';
import type { PolicyDecision } from './types.js';

export const NET_ASKS = 'default: network asks';

/** Host names compare without case and without a trailing dot (`Example.COM.` is `example.com`). */
export function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.replace(/\.$/, '');
}

const HOST_SHAPE = /^[a-z0-9.\-:_]+$/;

export function netContributions(rules: readonly Rule[], rawHost: string): PolicyDecision[] {
  const host = normaliseHost(rawHost);
  if (host === '' || !HOST_SHAPE.test(host)) {
    return [named('deny', 'builtin: suspicious host', 'builtin', `host \`${rawHost.slice(0, 80)}\` is not a host name or address`)];
  }
  const out = rules.filter((r) => r.kind === 'net' && matchGlob(r.glob, { relative: host }, true)).map((r) => fromRule(r, `network to \`${host}\``));
  if (!out.some((d) => d.source === 'user' || d.source === 'project')) {
    out.push(named('ask', NET_ASKS, 'default', `network to \`${host}\`: the sandbox keeps the network off unless a \`net(...)\` rule allows the host`));
  }
  return out;
}

/**
 * Whether an allow rule names this host literally (no glob characters). Loopback and private addresses are reachable
 * only then: `net(*)` means "the internet", not the user's own machine or network.
 */
export function hostNamedExactly(rules: readonly Rule[], rawHost: string): boolean {
  const host = normaliseHost(rawHost);
  return rules.some((r) => r.kind === 'net' && r.decision === 'allow' && !/[*?[\]{}]/.test(r.pattern) && normaliseHost(r.pattern) === host);
}
