import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedServer } from './embedded.ts';

/**
 * Decides which MongoDB to use.
 * - MONGODB_URI set: that server; nothing is started.
 * - Otherwise the embedded server with its H2 file in the data directory. A process that starts
 *   it records {pid, port} in `<dataDir>/db/server.json`; another `rutas` process (e.g. a CLI
 *   command while `npm start` runs) finds it there and connects instead of opening the file
 *   (the H2 file can only be opened by one process).
 */

export interface DatabaseTarget {
  /** Full connection string, including the database name. */
  uri: string;
  /** Present when this process started the embedded server and must stop it. */
  embedded?: EmbeddedServer;
  /** How the target was chosen, for the start-up log. */
  kind: 'external' | 'embedded-started' | 'embedded-shared';
  release(): Promise<void>;
}

export const DEFAULT_DB_NAME = 'rutas';

interface Registry {
  pid: number;
  port: number;
  file: string;
  startedAt: string;
}

export function registryPath(dataDir: string): string {
  return join(dataDir, 'db', 'server.json');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answersPing(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1500, connectTimeoutMS: 1500 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function readRegistry(dataDir: string): Registry | undefined {
  const path = registryPath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Registry;
  } catch {
    return undefined;
  }
}

export interface OpenOptions {
  mongodbUri: string | undefined;
  dataDir: string;
  onLog?: (line: string) => void;
}

/** Finds or starts the database. Call `release()` when done (stops what we started). */
export async function openDatabase(options: OpenOptions): Promise<DatabaseTarget> {
  if (options.mongodbUri) {
    return { uri: options.mongodbUri, kind: 'external', release: () => Promise.resolve() };
  }
  const file = join(options.dataDir, 'db', 'rutas.mv');
  const existing = readRegistry(options.dataDir);
  if (existing && processAlive(existing.pid)) {
    const uri = `mongodb://127.0.0.1:${existing.port}/${DEFAULT_DB_NAME}`;
    if (await answersPing(uri)) return { uri, kind: 'embedded-shared', release: () => Promise.resolve() };
  }
  mkdirSync(join(options.dataDir, 'db'), { recursive: true });
  const embedded = await startEmbeddedMongo({ file, onLog: options.onLog });
  const registry: Registry = { pid: embedded.pid, port: embedded.port, file, startedAt: new Date().toISOString() };
  writeFileSync(registryPath(options.dataDir), `${JSON.stringify(registry, null, 2)}\n`);
  return {
    uri: `${embedded.uri}/${DEFAULT_DB_NAME}`,
    embedded,
    kind: 'embedded-started',
    async release(): Promise<void> {
      const current = readRegistry(options.dataDir);
      if (current?.pid === embedded.pid) rmSync(registryPath(options.dataDir), { force: true });
      await embedded.stop();
    },
  };
}
