// Durations as a person reads them, for the chat view, the trace viewer and the CLI. No imports: the webview
// bundles it.

/** "850 ms", "4.2 s", "3 min 5 s", "1 h 2 min": what a person reads, not a raw millisecond count. */
export function formatDuration(ms: number): string {
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 59_500) return `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)} s`;
  const totalSeconds = Math.round(value / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours) return `${hours} h${minutes ? ` ${minutes} min` : ''}`;
  return `${minutes} min${seconds ? ` ${seconds} s` : ''}`;
}
