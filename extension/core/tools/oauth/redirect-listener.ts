// The CLI's OAuth redirect target: an HTTP listener on 127.0.0.1 (loopback only, any free port, RFC 8252) that takes
// the authorization code from the one redirect whose `state` matches, and ignores everything else.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RedirectListener {
  /** Starts listening if needed; returns the redirect URL. */
  start(): Promise<string>;
  /** The redirect URL, once started. */
  readonly url: string | undefined;
  /** Resolves with the code of the redirect carrying `state`; rejects on an error redirect or after `timeoutMs`. */
  waitForCode(state: string, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

const PAGE = (text: string) => `<!doctype html><meta charset="utf-8"><title>Tiller</title><p>${text}</p>`;

export function createRedirectListener(path = '/callback'): RedirectListener {
  let server: Server | undefined;
  let url: string | undefined;
  const waiting = new Map<string, { resolve: (code: string) => void; reject: (error: Error) => void }>();

  function handle(requestUrl: string | undefined): { status: number; body: string } {
    const parsed = new URL(requestUrl ?? '/', 'http://127.0.0.1');
    if (parsed.pathname !== path) return { status: 404, body: PAGE('Not found.') };
    const state = parsed.searchParams.get('state') ?? '';
    const waiter = waiting.get(state);
    if (waiter === undefined) return { status: 400, body: PAGE('This sign-in link is not the one Tiller is waiting for.') };
    waiting.delete(state);
    const error = parsed.searchParams.get('error');
    const code = parsed.searchParams.get('code');
    if (error !== null || code === null) {
      const description = parsed.searchParams.get('error_description') ?? error ?? 'no code in the redirect';
      waiter.reject(new Error(`authorization failed: ${description}`));
      return { status: 400, body: PAGE('Sign-in failed. You can close this tab.') };
    }
    waiter.resolve(code);
    return { status: 200, body: PAGE('Signed in. You can close this tab and return to Tiller.') };
  }

  return {
    get url() {
      return url;
    },
    async start() {
      if (url !== undefined) return url;
      const s = createServer((req, res) => {
        const { status, body } = req.method === 'GET' ? handle(req.url) : { status: 405, body: PAGE('Method not allowed.') };
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => resolve());
      });
      s.unref();
      server = s;
      url = `http://127.0.0.1:${(s.address() as AddressInfo).port}${path}`;
      return url;
    },
    waitForCode(state, timeoutMs) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(state);
          reject(new Error(`authorization was not completed within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        timer.unref();
        waiting.set(state, {
          resolve: (code) => (clearTimeout(timer), resolve(code)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
      });
    },
    async close() {
      for (const w of waiting.values()) w.reject(new Error('the sign-in was abandoned'));
      waiting.clear();
      const s = server;
      server = undefined;
      url = undefined;
      if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
