/**
 * A remembered string → string function for the engine's name spellings (type keys, initializer names,
 * camelCase), each asked many times per layer with a handful of distinct names. The names come from the file
 * being read, so their number is the file's to choose: past `maxEntries` new names are computed, not kept.
 */
export function boundedMemo(compute: (key: string) => string, maxEntries = 1000): (key: string) => string {
  const remembered = new Map<string, string>();
  return (key) => {
    let value = remembered.get(key);
    if (value === undefined) {
      value = compute(key);
      if (remembered.size < maxEntries) remembered.set(key, value);
    }
    return value;
  };
}
