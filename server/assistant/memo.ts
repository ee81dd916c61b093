/**
 * Memos whose keys range over the whole knowledge base (every item, name or FAQ): on a large knowledge base an
 * unbounded memo grows with every service ever asked about (an item's source text alone is several KB), so each
 * keeps at most `max` entries and forgets them all at once when full. The entries questions keep asking for come
 * straight back.
 */
export function boundedMemo<K, V>(max: number, compute: (key: K) => V): (key: K) => V {
  const entries = new Map<K, V>();
  return (key) => {
    let value = entries.get(key);
    if (value === undefined && !entries.has(key)) {
      value = compute(key);
      if (entries.size >= max) entries.clear();
      entries.set(key, value);
    }
    return value as V;
  };
}

