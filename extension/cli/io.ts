// The CLI's connection to the outside world, injectable so commands can be tested in-process.
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Where the built MCP server bundles are. */
  distDir: string;
  /** Register the handler for Ctrl+C (replacing the previous one). */
  onInterrupt(handler: () => void): void;
}
