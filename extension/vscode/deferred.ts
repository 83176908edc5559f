// Loads the extension's heavier parts from their own bundles next to dist/extension.js, on first use. esbuild's
// CommonJS output cannot split code, and a lazily *evaluated* module inside one bundle is still *parsed* at require
// time: with the harness inside, the extension bundle took >100 ms to load. Keeping it in separate files is what
// makes activation cost only the small adapter bundle (bench/activation.mjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type ViewServices = typeof import('./view-services.js');
export type TaskServices = typeof import('./task-services.js');

function load<T>(file: string): T {
  // In the bundle __dirname is dist/; these files are built by esbuild.mjs alongside extension.js.
  const path = join(__dirname, file);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` to build all of Tiller's bundles.`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}

let view: ViewServices | undefined;
let tasks: TaskServices | undefined;

export function viewServices(): ViewServices {
  view ??= load<ViewServices>('extension-view.js');
  return view;
}

export function taskServices(): TaskServices {
  tasks ??= load<TaskServices>('extension-tasks.js');
  return tasks;
}
