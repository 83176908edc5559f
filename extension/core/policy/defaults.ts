// The rules that hold when nobody wrote any, and the protections nobody can switch off.
import { parseRule, type Rule } from './rules.js';

/**
 * Files that commonly hold credentials. Denied for read and write at any depth; a project or user allow cannot
 * loosen them (deny beats allow across the union). `.env.example` is caught too: an agent that needs it can be
 * handed its content by the user.
 */
export const SECRET_PATTERNS: readonly string[] = [
  '**/.env',
  '**/.env.*',
  '**/.env*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.jks',
  '**/*.keystore',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  // Whole credential folders, the folder itself included (listing `~/.ssh` names the keys).
  '**/.ssh',
  '**/.ssh/**',
  '**/.gnupg',
  '**/.gnupg/**',
  '**/.aws',
  '**/.aws/**', // credentials, config, sso/cache and cli/cache tokens
  '**/.password-store/**',
  '**/.oci/**',
  '**/.config/op/**', // 1Password CLI sessions
  '**/.azure/**',
  '**/.config/gcloud/**',
  '**/.kube/config',
  '**/kubeconfig',
  '**/.docker/config.json',
  '**/.dockercfg',
  // Package registries: each holds a publish or read token.
  '**/.npmrc',
  '**/.yarnrc',
  '**/.yarnrc.yml',
  '**/.pypirc',
  '**/auth.json', // Composer (and several CLIs') tokens
  '**/.gem/credentials',
  '**/.cargo/credentials',
  '**/.cargo/credentials.toml',
  '**/gradle.properties', // signing and repository passwords (in the project or ~/.gradle)
  '**/.m2/settings.xml',
  '**/.m2/settings-security.xml',
  // Hosts and services.
  '**/.netrc',
  '**/_netrc',
  '**/.git-credentials',
  '**/.config/gh/hosts.yml',
  '**/.config/hub',
  '**/.config/glab-cli/config.yml',
  '**/.pgpass',
  '**/.my.cnf',
  '**/.s3cfg',
  '**/.boto',
  '**/.config/rclone/rclone.conf',
  '**/.vault-token',
  '**/.databrickscfg',
  '**/.terraformrc',
  '**/.terraform.d/credentials.tfrc.json',
  '**/.htpasswd',
  '**/*.kdbx',
  '**/credentials.json',
  '**/service-account*.json',
  // `secrets.*` for data files only: `secrets.ts` is usually code that handles secrets, not a secret.
  '**/secrets.{json,yaml,yml,toml,ini,env,txt,conf,cfg,properties,xml,enc}',
  '**/.secrets',
  '**/*.tfstate',
  '**/*.tfstate.backup',
  '**/*.tfvars', // terraform.tfvars, *.auto.tfvars: variable values, often keys
  '**/*.tfvars.json',
];

/**
 * Writing these changes what the harness itself, the editor or git will do next (tasks and hooks run code by
 * themselves), so a write is always at least `ask`, whatever a rule allows.
 */
export const PROTECTED_WRITE_PATTERNS: readonly string[] = [
  '.tiller',
  '.tiller/**',
  '.vscode/settings.json',
  '.vscode/mcp.json',
  '.vscode/tasks.json',
  '.vscode/launch.json',
  '.mcp.json',
  '.husky/**',
  '**/.git',
  '**/.git/**',
];

function build(texts: string[], source: Rule['source']): Rule[] {
  return texts.map((text) => {
    const decision = text.startsWith('deny ') ? 'deny' : 'ask';
    const parsed = parseRule(text.slice(decision.length + 1), decision, source);
    if (!parsed.ok) throw new Error(`built-in rule does not parse: ${parsed.error.message}`);
    return parsed.rule;
  });
}

/** Default denies: secrets, for both read and write. */
export const DEFAULT_DENY_RULES: readonly Rule[] = build(
  SECRET_PATTERNS.flatMap((p) => [`deny read(${p})`, `deny write(${p})`]),
  'default',
);

/** Builtin protections: writes to harness, editor and git configuration always ask. */
export const BUILTIN_ASK_RULES: readonly Rule[] = build(
  PROTECTED_WRITE_PATTERNS.map((p) => `ask write(${p})`),
  'builtin',
);
