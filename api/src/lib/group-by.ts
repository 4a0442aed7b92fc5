/**
 * Items grouped by `key`, each group in input order. One pass, so attaching child rows (photos,
 * history) to a page of parents costs O(rows), not O(parents × rows) as a filter per parent would.
 */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
