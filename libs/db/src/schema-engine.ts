import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as AdapterPg from '@prisma/adapter-pg';
import type * as DriverAdapterUtils from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlQuery, SqlResultSet } from '@prisma/driver-adapter-utils';
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm';
import type { Pool, QueryResult } from 'pg';
import type * as Vm from 'node:vm';
import { quoteIdentifier, withDatabaseName } from './connection-url';
import { nativeRequire } from './native-require';

export type SchemaEngine = SchemaEngineWasm.SchemaEngine;
export type SchemaEngineLog = (message: string) => void;

// Just the WebAssembly API we use (the es2024 lib has no WebAssembly declarations).
type WasmImports = Record<string, unknown>;
type WasmExports = Record<string, unknown>;
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, WasmImports>) => { exports: WasmExports };
}

type SchemaEngineBindings = typeof SchemaEngineWasm & {
  __wbg_set_wasm(exports: WasmExports): void;
};

interface NodeRealm {
  WebAssembly: WebAssemblyApi;
  globalThis: Record<PropertyKey, unknown>;
  /** The same function, as a Node-realm function (wasm-bindgen checks callbacks with `instanceof Function`). */
  wrap<F extends (...args: never[]) => unknown>(fn: F): F;
  PrismaPg: typeof AdapterPg.PrismaPg;
  bindMigrationAwareSqlAdapterFactory: typeof DriverAdapterUtils.bindMigrationAwareSqlAdapterFactory;
  ColumnTypeEnum: typeof DriverAdapterUtils.ColumnTypeEnum;
}

let realm: NodeRealm | undefined;

/**
 * Everything the engine touches is loaded natively (see native-require.ts), so that under Jest
 * the glue, the WebAssembly instance, pg and the adapter live in one realm: wasm-bindgen tells
 * promises, byte arrays and functions apart with `instanceof`, which fails across Jest's VM
 * context. Loaded on first use, so apps that only query never load any of it.
 */
function nodeRealm(): NodeRealm {
  if (realm) return realm;
  const vm = nativeRequire('node:vm') as typeof Vm;
  const globals = vm.runInThisContext(
    '({ WebAssembly, globalThis, wrap: (fn) => (...args) => fn(...args) })',
  ) as Pick<NodeRealm, 'WebAssembly' | 'globalThis' | 'wrap'>;
  const { PrismaPg } = nativeRequire('@prisma/adapter-pg') as typeof AdapterPg;
  const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } = nativeRequire(
    '@prisma/driver-adapter-utils',
  ) as typeof DriverAdapterUtils;
  realm = { ...globals, PrismaPg, bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum };
  return realm;
}

/** Where the engine's Rust panics leave their message (the glue code expects this global). */
class WasmPanicRegistry {
  private message = '';
  get(): string {
    return this.message;
  }
  set_message(value: string): void {
    this.message = value;
  }
}
function panicRegistry(): WasmPanicRegistry {
  const global = nodeRealm().globalThis;
  return ((global['PRISMA_WASM_PANIC_REGISTRY'] as WasmPanicRegistry | undefined) ??=
    new WasmPanicRegistry());
}

/**
 * Instantiates Prisma's WebAssembly schema engine once per process. The package's entry point
 * imports the `.wasm` file as a module (a bundler feature Node lacks), so we compile it ourselves
 * and hand the instance to the wasm-bindgen glue, as Prisma's CLI does for its own copy.
 * The glue keeps module-level state tied to one instance, and it is shared by every copy of this
 * file in the process (Jest's globalSetup and each test file get their own copy), so the
 * instantiated glue is remembered on Node's global object, not in this module.
 */
const instantiatedKey = Symbol.for('shelfwatch.db.schemaEngineWasm');
function loadBindings(): SchemaEngineBindings {
  const { globalThis: nodeGlobal, WebAssembly: NodeWebAssembly } = nodeRealm();
  const existing = nodeGlobal[instantiatedKey] as SchemaEngineBindings | undefined;
  if (existing) return existing;
  panicRegistry();
  const glueModule = '@prisma/schema-engine-wasm/schema_engine_bg';
  const glue = nativeRequire(glueModule) as SchemaEngineBindings;
  const wasmPath = path.join(
    path.dirname(nativeRequire.resolve(glueModule)),
    'schema_engine_bg.wasm',
  );
  const instance = new NodeWebAssembly.Instance(
    new NodeWebAssembly.Module(readFileSync(wasmPath)),
    {
      './schema_engine_bg.js': withUnrefTimers(glue as unknown as WasmImports),
    },
  );
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();
  nodeGlobal[instantiatedKey] = glue;
  return glue;
}

/**
 * The engine arms 10 s timers (idle connection housekeeping) that it never clears; left as they
 * are, every CLI run and Jest process would linger 10 s after its work is done. Unref'd timers
 * still fire while the process has other work.
 */
function withUnrefTimers(imports: WasmImports): WasmImports {
  const patched: WasmImports = { ...imports };
  for (const [name, value] of Object.entries(imports)) {
    if (!name.startsWith('__wbg_setTimeout_') || typeof value !== 'function') continue;
    patched[name] = (...args: unknown[]) => {
      const timer = (value as (...args: unknown[]) => unknown)(...args);
      (timer as { unref?: () => void } | undefined)?.unref?.();
      return timer;
    };
  }
  return patched;
}

/**
 * Runs `work` with a schema engine connected to `databaseUrl` through the pg driver adapter (no
 * native engine binary, no download). Operations that need a shadow database get a throwaway one
 * created on the same server, so the role needs CREATEDB for those.
 */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  work: (engine: SchemaEngine) => Promise<T>,
  options: { log?: SchemaEngineLog; schema?: { path: string; content: string } } = {},
): Promise<T> {
  const { SchemaEngine } = loadBindings();
  const { PrismaPg, bindMigrationAwareSqlAdapterFactory, wrap } = nodeRealm();
  const connections = new ConnectionTracker(options.log);
  const factory = new PrismaPg({ connectionString: databaseUrl, max: 2 });
  const adapter = bindMigrationAwareSqlAdapterFactory({
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => connections.track(await factory.connect()),
    connectToShadowDb: () => connectToShadowDb(databaseUrl, connections),
  });
  const log = options.log;
  const engine = await SchemaEngine.new(
    { datamodels: options.schema ? [[options.schema.path, options.schema.content]] : undefined },
    wrap((message: string) => log?.(message)),
    adapter,
  );
  try {
    return await work(engine);
  } catch (error) {
    if ((error as Error | undefined)?.name !== 'RuntimeError') throw error;
    // A Rust panic: surface its message (the bare RuntimeError only says "unreachable").
    throw new Error(
      `Prisma schema engine panicked: ${panicRegistry().get() || (error as Error).message}`,
      { cause: error },
    );
  } finally {
    engine.free();
    await connections.disposeAll();
  }
}

/**
 * Our own shadow database instead of PrismaPg's: PrismaPg 7.10 drops the shadow database while
 * its own pool is still connected (the drop fails), and with a connection string it would connect
 * its "shadow" pool to the main database. Here the pool ends first, then the database is dropped.
 */
async function connectToShadowDb(
  databaseUrl: string,
  connections: ConnectionTracker,
): Promise<SqlDriverAdapter> {
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  const { PrismaPg } = nodeRealm();
  const admin = await new PrismaPg({ connectionString: databaseUrl, max: 1 }).connect();
  await admin.executeScript(`CREATE DATABASE ${quoteIdentifier(name)}`);
  const dropShadowDatabase = async () => {
    try {
      await admin.executeScript(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    } finally {
      await admin.dispose();
    }
  };
  const shadow = await new PrismaPg({
    connectionString: withDatabaseName(databaseUrl, name),
    max: 2,
  })
    .connect()
    .catch(async (error: unknown) => {
      await dropShadowDatabase();
      throw error;
    });
  const disposeShadowPool = shadow.dispose.bind(shadow);
  shadow.dispose = async () => {
    await disposeShadowPool();
    await dropShadowDatabase();
  };
  return connections.track(shadow);
}

/**
 * The engine opens connections through the factory but does not reliably close them; every
 * adapter is disposed exactly once at the end so no idle pool keeps the process alive, and pool
 * errors (a server going away) are logged instead of crashing the process.
 */
class ConnectionTracker {
  private readonly disposers: Array<() => Promise<void>> = [];

  constructor(private readonly log?: SchemaEngineLog) {}

  track<C extends SqlDriverAdapter & { underlyingDriver(): Pool }>(connection: C): C {
    const pool = connection.underlyingDriver();
    pool.on('error', (error) => this.log?.(`schema engine connection error: ${error.message}`));
    readCharColumnsAsCharacters(connection);
    const startTransaction = connection.startTransaction.bind(connection);
    connection.startTransaction = async (isolationLevel) =>
      readCharColumnsAsCharacters(await startTransaction(isolationLevel));
    const dispose = connection.dispose.bind(connection);
    let disposed: Promise<void> | undefined;
    connection.dispose = () => (disposed ??= dispose());
    this.disposers.push(() => connection.dispose());
    return connection;
  }

  async disposeAll(): Promise<void> {
    await Promise.allSettled(this.disposers.map((dispose) => dispose()));
  }
}

const pgCharOid = 18;
const pgTextOid = 25;

interface PgQueryableInternals {
  queryRaw(query: SqlQuery): Promise<SqlResultSet>;
  performIO(query: SqlQuery): Promise<QueryResult>;
}

/**
 * The engine introspects the catalog (`pg_constraint.contype`, `pg_class.relkind`, ...) and reads
 * those one-byte `"char"` columns as characters, but PrismaPg 7.10 has no column type for `"char"`
 * and rejects the whole result. For the schema engine's own connections we let PrismaPg see them
 * as `text` and then report them as `Character`: their text form is exactly the character.
 * This leans on PrismaPg's internal `performIO` (the version is pinned; the db tests exercise it).
 */
function readCharColumnsAsCharacters<Q extends object>(queryable: Q): Q {
  const internals = queryable as unknown as PgQueryableInternals;
  const queryRaw = internals.queryRaw;
  const performIO = internals.performIO.bind(queryable);
  internals.queryRaw = async (query: SqlQuery) => {
    const charColumns: number[] = [];
    const perCall = Object.create(queryable, {
      performIO: {
        value: async (io: SqlQuery) => {
          const result = await performIO(io);
          result.fields.forEach((field, index) => {
            if (field.dataTypeID !== pgCharOid) return;
            charColumns.push(index);
            field.dataTypeID = pgTextOid;
          });
          return result;
        },
      },
    }) as PgQueryableInternals;
    const resultSet = await queryRaw.call(perCall, query);
    for (const index of charColumns)
      resultSet.columnTypes[index] = nodeRealm().ColumnTypeEnum.Character;
    return resultSet;
  };
  return queryable;
}
