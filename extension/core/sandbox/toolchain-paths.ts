// The parts of the home directory a sandboxed command may read and write: package caches and language toolchains,
// without which `npm test`, `cargo build` or `pytest` cannot run. Everything else in the home directory (dotfiles,
// ~/.ssh, ~/.aws, ~/.config, documents) is hidden. The user extends the list with `tiller.sandbox.allowPaths` (VS Code,
// machine scope) or TILLER_SANDBOX_ALLOW_PATHS / `--sandbox-allow-path` (CLI). Documented in the README's Sandbox section.

export const DEFAULT_TOOLCHAIN_PATHS: readonly string[] = [
  '~/.npm',
  '~/.cache',
  '~/.nvm',
  '~/.volta',
  '~/.bun',
  '~/.deno',
  '~/.yarn',
  '~/.pnpm-store',
  '~/.cargo',
  '~/.rustup',
  '~/.pyenv',
  '~/.local',
  '~/.rbenv',
  '~/.gem',
  '~/go',
  '~/.gradle',
  '~/.m2',
  '~/.dotnet',
  '~/.nuget/packages',
];

/**
 * Credential files that live inside the toolchain directories above; hidden like any denied file even though their
 * directory is exposed.
 */
export const TOOLCHAIN_SECRETS: readonly string[] = [
  '~/.cargo/credentials',
  '~/.cargo/credentials.toml',
  '~/.gradle/gradle.properties',
  '~/.m2/settings.xml',
  '~/.m2/settings-security.xml',
  '~/.local/share/keyrings',
  '~/.local/share/gnome-keyring',
  '~/.local/share/kwalletd',
  '~/.local/share/pnpm/.npmrc',
  '~/.yarn/berry/.yarnrc.yml',
  '~/.config/gh',
];

/** Where the home directory's own secrets usually are: scanned for their device+inode so hard links to them are hidden. */
export const HOME_SECRET_DIRS: readonly string[] = ['~/.ssh', '~/.aws', '~/.gnupg', '~/.docker', '~/.kube', '~/.azure', '~/.config/gcloud', '~/.config/gh'];

/** System files readable by root that a command has no business with, hidden even though /etc is mounted. */
export const SYSTEM_SECRETS: readonly string[] = ['/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/sudoers', '/etc/sudoers.d', '/etc/ssh'];

/** Expands a leading `~` against `home`; anything else must already be absolute. */
export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return `${home.replace(/\/+$/, '')}/${p.slice(2)}`;
  return p;
}

/** Parses a PATH-style list (`:`-separated) of extra allowed paths; empty entries are dropped. */
export function parsePathList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(':')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
