// Opening the OAuth sign-in page from the CLI: the URL is always printed (a headless machine can copy it), and the
// desktop's opener is tried without a shell, so nothing in the URL is interpreted as a command.
import { spawn } from 'node:child_process';

export function cliOpenExternal(say: (line: string) => void): (url: string) => Promise<void> {
  return async (url) => {
    say(`An MCP server needs you to sign in. Open this page in a browser:\n  ${url}`);
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer.exe' : 'xdg-open';
    try {
      const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
      child.on('error', () => undefined);
      child.unref();
    } catch {
      // no desktop: the printed URL is enough
    }
  };
}
