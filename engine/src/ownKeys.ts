/**
 * Keys of layer files are data: a key named `__proto__`, `constructor` or `prototype` is a setting, a server or a
 * variable like any other. Plain objects inherit those names from `Object.prototype`, so `obj[key] = value` with
 * `__proto__` changes the object's prototype (the key is lost) and `key in obj` or `obj[key]` finds inherited
 * members that no file wrote. Every map built from or looked up by a file's keys goes through these helpers.
 */

/** Whether `target` itself holds `key` (inherited members such as `constructor` do not count). */
export function hasOwn(target: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

/** The value `target` itself holds at `key`, never an inherited member. */
export function getOwn<T>(target: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return target !== undefined && hasOwn(target, key) ? target[key] : undefined;
}

/** Sets a key as an own property, so a layer's `__proto__` key is data and never a prototype. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
