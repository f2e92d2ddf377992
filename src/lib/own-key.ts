/**
 * Looking a value up in a constant table by a key that came from outside (a query word, a file
 * extension, a version's letters, an imported record's field). `table[key]` on an object literal
 * also finds what every object inherits: `constructor`, `__proto__`, `toString` answer a function or
 * an object, and the caller that expected a string or a list crashes (the CWE search answered 500 for
 * `q=constructor`). This answers only the table's own entries.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
