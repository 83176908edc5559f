// Inside the sandbox the network namespace has only its own loopback, so programs reach the proxy through a bridge:
// a TCP listener on 127.0.0.1:PROXY_PORT (inside the namespace) that forwards each connection to the proxy's Unix
// socket, bound in from the host. The bridge starts first, then runs the command and exits with its status; it is
// the command's parent, so it dies with the sandbox's pid namespace like everything else. Only used when at least
// one host is allowed; with the network off there is nothing to bridge.
import { SANDBOX_NET_DIR } from './bwrap-args.js';

export const PROXY_PORT = 3128;
export const PROXY_SOCKET = `${SANDBOX_NET_DIR}/proxy.sock`;

/** Run with `node -e`; argv after it is the command. Plain JavaScript on purpose: no bundle to mount. */
export const BRIDGE_SOURCE = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const server = net.createServer((c) => {
  const u = net.connect(${JSON.stringify(PROXY_SOCKET)});
  c.on('error', () => u.destroy());
  u.on('error', () => c.destroy());
  c.pipe(u); u.pipe(c);
});
server.listen(${PROXY_PORT}, '127.0.0.1', () => {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(process.argv[1], process.argv.slice(2), { stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
  child.on('error', (e) => { process.stderr.write(String(e.message) + '\\n'); process.exit(127); });
});
`;

/** The proxy variables every common client honours (curl, git, npm, pip, node's undici with NODE_USE_ENV_PROXY). */
export function proxyEnv(): Record<string, string> {
  const url = `http://127.0.0.1:${PROXY_PORT}`;
  return {
    HTTP_PROXY: url,
    HTTPS_PROXY: url,
    http_proxy: url,
    https_proxy: url,
    ALL_PROXY: url,
    all_proxy: url,
    npm_config_proxy: url,
    npm_config_https_proxy: url,
    NODE_USE_ENV_PROXY: '1',
    NO_PROXY: '',
    no_proxy: '',
  };
}
