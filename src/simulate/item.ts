/** The element at `index`, which the caller knows is there (an index drawn within bounds). */
export function item<T>(items: readonly T[], index: number): T {
  const value = items[index];
  if (value === undefined) throw new RangeError(`index ${index} is outside 0..${items.length - 1}`);
  return value;
}
