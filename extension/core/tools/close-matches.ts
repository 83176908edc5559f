// "Did you mean" for unknown tool names: models often get the namespace or a letter wrong.

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}

export function closeMatches(wanted: string, available: readonly string[], limit = 3): string[] {
  const bare = wanted.slice(wanted.indexOf('.') + 1).toLowerCase();
  return available
    .map((name) => {
      const tool = name.slice(name.indexOf('.') + 1).toLowerCase();
      const score = Math.min(editDistance(wanted.toLowerCase(), name.toLowerCase()), tool === bare ? 0 : editDistance(bare, tool));
      return { name, score };
    })
    .filter((m) => m.score <= Math.max(2, Math.floor(wanted.length / 4)))
    .sort((x, y) => x.score - y.score || (x.name < y.name ? -1 : 1))
    .slice(0, limit)
    .map((m) => m.name);
}
