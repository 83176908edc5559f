// DNS-rebinding protection for the loopback HTTP mode: a web page the user visits can make the browser send
// requests to 127.0.0.1, but it cannot make the Host header say 127.0.0.1:PORT, and its Origin is not loopback.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Returns why the request must be refused, or undefined when it may proceed. */
export function rejectForeignRequest(port: number, host: string | undefined, origin: string | undefined): string | undefined {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (host === undefined || !allowedHosts.includes(host.toLowerCase())) {
    return `Host ${JSON.stringify(host ?? '')} is not allowed; expected ${allowedHosts.join(' or ')}`;
  }
  if (origin !== undefined) {
    let hostname: string;
    try {
      hostname = new URL(origin).hostname.toLowerCase();
    } catch {
      return `Origin ${JSON.stringify(origin)} is not a URL`;
    }
    if (!LOOPBACK_HOSTS.has(hostname)) return `Origin ${JSON.stringify(origin)} is not a loopback origin`;
  }
  return undefined;
}
