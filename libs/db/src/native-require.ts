import Module from 'node:module';

/**
 * Node's own `require`, outside Jest's module registry. `@prisma/schema-engine-wasm` ships as an
 * ES module; Node 24 loads it with `require(esm)`, Jest's registry cannot without
 * --experimental-vm-modules.
 * Under Jest, `node:module` is a subclass whose `createRequire` feeds Jest's registry; its parent
 * class is Node's own. Elsewhere (tsx, node, Jest's globalSetup) it is Node's own already.
 * Native loading also lets all test files in a worker share one compiled WebAssembly module.
 */
function nodeModuleClass(): typeof Module {
  const parent = Object.getPrototypeOf(Module) as Partial<typeof Module> | null;
  return typeof parent?.createRequire === 'function' ? (parent as typeof Module) : Module;
}

export const nativeRequire: NodeJS.Require = nodeModuleClass().createRequire(__filename);
