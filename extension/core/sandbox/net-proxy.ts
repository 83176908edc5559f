// The sandbox's only way out: an HTTP proxy (CONNECT for TLS and anything else, absolute-URI requests for plain HTTP)
// listening on a Unix socket that is bound into the sandbox, whose network namespace has no interface. It lets a
// connection through only when the policy allows the host (`net(...)` rules), resolves the name itself and connects to
// the address it checked (no second lookup for a rebinding DNS to exploit), and refuses loopback, private, link-local
// and other special ranges unless a rule names that host exactly. Every refusal is recorded, so the run's result can
// say "denied by sandbox: network to HOST".
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';
import { lookup } from 'node:dns/promises';
import { BlockList } from 'node:net';

export interface NetDecider {
  /** Whether the rules allow this host at all. */
  allows(host: string): boolean;
  /** Whether an allow rule names the host literally (needed for loopback and private addresses). */
  namesExactly(host: string): boolean;
}

export interface NetRefusal {
  host: string;
  port: number;
  why: string;
}

const special = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  special.addSubnet(net, prefix, 'ipv4');
// IPv4-mapped (::ffff:a.b.c.d) addresses are unwrapped and checked as IPv4 below: a BlockList would match every IPv4
// address against a ::ffff:0:0/96 rule.
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  special.addSubnet(net, prefix, 'ipv6');
}

/** Loopback, private, link-local, multicast, mapped and reserved addresses: the user's own machine and network. */
export function isSpecialAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isSpecialAddress(mapped[1]!);
  // NAT64 and other IPv6 forms of hex-mapped IPv4 are not unwrapped: refuse them rather than guess.
  if (/^::ffff:/i.test(address) || /^64:ff9b:/i.test(address)) return true;
  const family = isIP(address);
  if (family === 0) return true;
  return special.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface FilteringProxy {
  readonly socketPath: string;
  readonly refusals: NetRefusal[];
  close(): Promise<void>;
}

/** Splits `host:port` / `[v6]:port`. */
function splitHostPort(text: string, defaultPort: number): { host: string; port: number } | undefined {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  if (!m) return undefined;
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: m[1]!.toLowerCase(), port };
}

export async function startFilteringProxy(socketPath: string, decider: NetDecider): Promise<FilteringProxy> {
  const refusals: NetRefusal[] = [];
  const sockets = new Set<Socket>();

  /** The address to connect to, or the reason not to. */
  async function vet(host: string, port: number): Promise<{ address: string } | { why: string }> {
    if (!decider.allows(host)) return { why: `no \`net(...)\` rule allows ${host}` };
    let address: string;
    if (isIP(host) !== 0) {
      address = host;
    } else {
      try {
        address = (await lookup(host, { verbatim: true })).address;
      } catch (e) {
        return { why: `${host} does not resolve (${(e as NodeJS.ErrnoException).code ?? 'lookup failed'})` };
      }
    }
    if (isSpecialAddress(address) && !decider.namesExactly(host)) {
      return { why: `${host} is ${address}, a loopback or private address; only a rule naming it exactly (\`net(${host})\`) reaches it` };
    }
    void port;
    return { address };
  }

  const refuse = (host: string, port: number, why: string) => {
    refusals.push({ host, port, why });
    return `denied by sandbox: network to ${host}:${port}: ${why}\n`;
  };

  const server: Server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '');
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('the sandbox proxy needs an absolute http:// URL\n');
        return;
      }
      if (url.protocol !== 'http:') {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('only http:// goes through as a plain request; use CONNECT for others\n');
        return;
      }
      const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      const port = url.port === '' ? 80 : Number(url.port);
      const verdict = await vet(host, port);
      if ('why' in verdict) {
        res.writeHead(403, { 'content-type': 'text/plain', 'x-tiller-sandbox': 'denied' }).end(refuse(host, port, verdict.why));
        return;
      }
      const headers = { ...req.headers };
      delete headers['proxy-authorization'];
      delete headers['proxy-connection'];
      const upstream = httpRequest(
        { host: verdict.address, port, method: req.method, path: `${url.pathname}${url.search}`, headers: { ...headers, host: url.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`sandbox proxy: ${e.message}\n`);
      });
      req.pipe(upstream);
    })();
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    void (async () => {
      const target = splitHostPort(req.url ?? '', 443);
      if (!target) {
        client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      const verdict = await vet(target.host, target.port);
      if ('why' in verdict) {
        const body = refuse(target.host, target.port, verdict.why);
        client.end(
          `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nx-tiller-sandbox: denied\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return;
      }
      const upstream = connect({ host: verdict.address, port: target.port }, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      });
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    socketPath,
    refusals,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
