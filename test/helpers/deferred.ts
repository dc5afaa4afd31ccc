/**
 * A promise and the function that settles it: how tests order a race by events. A fault hook awaits
 * `promise` to hold a Task (or a storage answer) until the test has taken its own step and calls
 * `resolve`; a hook resolves one to tell the test it has been reached.
 */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
