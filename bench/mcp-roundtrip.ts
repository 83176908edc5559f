// MCP tool-call round trip through Tiller's host vs the bare SDK Client, against the same stdio server (the built-in
// workspace server, read_file of a small file). Both connections run side by side and the calls are interleaved
// (host, bare, host, bare, ...) so machine noise lands on both alike. Prints p50/p99 for each and the ratio
// (target: host within 1.5x of bare). Run: `npm run bench:mcp` (builds first). BENCH_CALLS changes the count.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createToolHost } from '../extension/core/tools/host.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const WARMUP = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'tiller-bench-mcp-'));
  writeFileSync(join(root, 'small.txt'), 'one\ntwo\nthree\n');
  const server = [join(resolve(__dirname, '..'), 'dist', 'mcp-workspace.js'), '--root', root];

  const host = createToolHost([{ name: 'workspace', transport: 'stdio', command: process.execPath, args: server }]);
  const bare = new Client({ name: 'bench', version: '0.0.0' });
  await bare.connect(new StdioClientTransport({ command: process.execPath, args: server, stderr: 'ignore' }));
  const args = { path: 'small.txt' };

  const viaHost = async () => {
    const r = await host.callTool('workspace.read_file', args);
    if (r.isError || !r.content.includes('three')) throw new Error(`host call failed: ${r.content}`);
  };
  const viaBare = async () => {
    const r = await bare.callTool({ name: 'read_file', arguments: args });
    if (r.isError === true) throw new Error('bare call failed');
  };
  const time = async (fn: () => Promise<void>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };

  try {
    for (let i = 0; i < WARMUP; i++) {
      await viaHost();
      await viaBare();
    }
    const hostTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      // Alternate which goes first, so neither always follows the other's garbage.
      if (i % 2 === 0) {
        hostTimes.push(await time(viaHost));
        bareTimes.push(await time(viaBare));
      } else {
        bareTimes.push(await time(viaBare));
        hostTimes.push(await time(viaHost));
      }
    }
    hostTimes.sort((a, b) => a - b);
    bareTimes.sort((a, b) => a - b);
    const row = (name: string, t: number[]) => `${name.padEnd(14)} p50 ${percentile(t, 50).toFixed(3)} ms   p99 ${percentile(t, 99).toFixed(3)} ms`;
    console.log(`MCP round trip, read_file of a small file, ${CALLS} calls each, interleaved`);
    console.log(row('Tiller host', hostTimes));
    console.log(row('bare SDK', bareTimes));
    const p50 = percentile(hostTimes, 50) / percentile(bareTimes, 50);
    const p99 = percentile(hostTimes, 99) / percentile(bareTimes, 99);
    console.log(`ratio host/bare  p50 ${p50.toFixed(2)}x   p99 ${p99.toFixed(2)}x   (target <= 1.5x)`);
  } finally {
    await host.close();
    await bare.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
