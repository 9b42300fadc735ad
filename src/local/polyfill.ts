// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks (Node 22 has it).
const promise = Promise as unknown as { withResolvers?: unknown };
promise.withResolvers ??= function <T>(this: PromiseConstructor) {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const p = new this<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise: p, resolve, reject };
};
export {};
