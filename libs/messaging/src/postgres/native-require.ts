import Module from 'node:module';

/**
 * Node's own `require`, outside Jest's module registry (the same trick as libs/db). pg-boss 12 is
 * ESM-only: Node 24 loads it with `require(esm)`, Jest's registry cannot without
 * --experimental-vm-modules, and a `createRequire` call keeps esbuild from bundling it (it stays a
 * declared runtime dependency). Under Jest, `node:module` is a subclass whose `createRequire` feeds
 * Jest's registry; its parent class is Node's own.
 */
function nodeModuleClass(): typeof Module {
  const parent = Object.getPrototypeOf(Module) as Partial<typeof Module> | null;
  return typeof parent?.createRequire === 'function' ? (parent as typeof Module) : Module;
}

export const nativeRequire: NodeJS.Require = nodeModuleClass().createRequire(__filename);
