import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectMongoose } from '../../src/db/connection.ts';
import type { DatabaseTarget } from '../../src/db/database.ts';
import { startEmbeddedMongo, type EmbeddedServer } from '../../src/db/embedded.ts';

/**
 * The test suite's real database: one in-memory embedded MongoDB wire server for the whole run
 * (started on first use, stopped by the root hook), with a fresh database name per test file
 * or test so tests never see each other's data. Never a mock.
 */

// Kept on globalThis: mocha may load this module twice (the root-hook file through `require`,
// test files through `import`), and both copies must see the same server.
const KEY = Symbol.for('rutas.test.sharedEmbeddedServer');
const registry = globalThis as unknown as Record<symbol, Promise<EmbeddedServer> | undefined>;

export function sharedTestServer(): Promise<EmbeddedServer> {
  registry[KEY] ??= startEmbeddedMongo();
  return registry[KEY];
}

export async function stopSharedTestServer(): Promise<void> {
  const pending = registry[KEY];
  if (!pending) return;
  registry[KEY] = undefined;
  await (await pending).stop();
}

/** A URI to a database no other test uses. */
export async function freshDatabaseUri(label = 'test'): Promise<string> {
  if (process.env.TEST_MONGODB_URI) {
    const base = new URL(process.env.TEST_MONGODB_URI);
    base.pathname = `/${label}_${randomBytes(4).toString('hex')}`;
    return base.toString();
  }
  const server = await sharedTestServer();
  return `${server.uri}/${label.replace(/[^A-Za-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
}

/** A database target for startService that is not released with the service. */
export async function freshDatabaseTarget(label?: string): Promise<DatabaseTarget> {
  return { uri: await freshDatabaseUri(label), kind: 'external', release: () => Promise.resolve() };
}

/** A connected mongoose connection to a fresh database; drop and close it in `after`. */
export async function freshConnection(label?: string): Promise<Connection> {
  return connectMongoose(await freshDatabaseUri(label));
}

export async function dropAndClose(connection: Connection): Promise<void> {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
}
