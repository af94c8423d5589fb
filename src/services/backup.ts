import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { BSON, type Db, type Document, type IndexDescription } from 'mongodb';
import { BadRequestError, ConflictError } from '../errors.ts';

/**
 * Backup and restore of every collection (GridFS evidence included: fs.files / fs.chunks are
 * collections too). A dump is a directory with one canonical Extended JSON document per line
 * per collection, sorted by _id, and a manifest with counts, SHA-256 checksums and the index
 * definitions. Restore verifies every file against the manifest before writing anything.
 */

export const DUMP_FORMAT = 'rutas-dump/1';

export interface CollectionEntry {
  name: string;
  file: string;
  count: number;
  sha256: string;
  indexes: IndexDescription[];
}

export interface DumpManifest {
  format: typeof DUMP_FORMAT;
  createdAt: string;
  database: string;
  collections: CollectionEntry[];
}

function fileName(collection: string): string {
  return `${collection.replace(/[^A-Za-z0-9._-]/g, '_')}.ejson`;
}

async function userCollections(db: Db): Promise<string[]> {
  const list = await db.listCollections({}, { nameOnly: true }).toArray();
  return list
    .map((c) => c.name)
    .filter((name) => !name.startsWith('system.'))
    .sort();
}

async function indexesOf(db: Db, collection: string): Promise<IndexDescription[]> {
  const indexes = (await db.collection(collection).listIndexes().toArray()) as Document[];
  return indexes
    .filter((index) => index.name !== '_id_')
    .map((index) => {
      const description: IndexDescription = { key: index.key as IndexDescription['key'], name: String(index.name) };
      if (index.unique === true) description.unique = true;
      if (index.sparse === true) description.sparse = true;
      if (typeof index.expireAfterSeconds === 'number') description.expireAfterSeconds = index.expireAfterSeconds;
      return description;
    });
}

/** Writes every collection of `db` into `dir` (created if needed; must not hold a dump already). */
export async function exportDatabase(db: Db, dir: string): Promise<DumpManifest> {
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, 'manifest.json'))) {
    throw new ConflictError(`${dir} already holds a dump (manifest.json); choose an empty directory.`);
  }
  const collections: CollectionEntry[] = [];
  for (const name of await userCollections(db)) {
    const file = fileName(name);
    const hash = createHash('sha256');
    const out = createWriteStream(join(dir, file));
    let count = 0;
    for await (const doc of db.collection(name).find({}).sort({ _id: 1 })) {
      const line = `${BSON.EJSON.stringify(doc, { relaxed: false })}\n`;
      hash.update(line);
      if (!out.write(line)) await once(out, 'drain');
      count += 1;
    }
    out.end();
    await once(out, 'finish');
    collections.push({ name, file, count, sha256: hash.digest('hex'), indexes: await indexesOf(db, name) });
  }
  const manifest: DumpManifest = { format: DUMP_FORMAT, createdAt: new Date().toISOString(), database: db.databaseName, collections };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function readManifest(dir: string): DumpManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new BadRequestError(`${dir} is not a dump: manifest.json is missing.`);
  let manifest: DumpManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as DumpManifest;
  } catch {
    throw new BadRequestError(`${path} is not valid JSON.`);
  }
  if (manifest.format !== DUMP_FORMAT || !Array.isArray(manifest.collections)) {
    throw new BadRequestError(`${path} is not a ${DUMP_FORMAT} manifest.`);
  }
  return manifest;
}

async function* readDocuments(path: string): AsyncGenerator<{ line: string; doc: Document }> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    yield { line, doc: BSON.EJSON.parse(line, { relaxed: false }) as Document };
  }
}

/** Checks every file of a dump against its manifest (count and SHA-256) without writing anything. */
export async function verifyDump(dir: string): Promise<DumpManifest> {
  const manifest = readManifest(dir);
  for (const entry of manifest.collections) {
    const path = join(dir, entry.file);
    if (!existsSync(path)) throw new BadRequestError(`the dump is incomplete: ${entry.file} is missing.`);
    const hash = createHash('sha256');
    let count = 0;
    try {
      for await (const { line } of readDocuments(path)) {
        hash.update(`${line}\n`);
        count += 1;
      }
    } catch {
      throw new BadRequestError(`${entry.file} holds a line that is not Extended JSON.`);
    }
    if (count !== entry.count) throw new BadRequestError(`${entry.file}: ${count} documents, the manifest says ${entry.count}.`);
    if (hash.digest('hex') !== entry.sha256) throw new BadRequestError(`${entry.file}: checksum does not match the manifest.`);
  }
  return manifest;
}

export interface ImportReport {
  collections: { name: string; count: number }[];
  total: number;
}

/**
 * Restores a verified dump. Refuses to mix a dump into collections that already hold data
 * unless `replace` is set, in which case those collections are dropped first.
 */
export async function importDump(db: Db, dir: string, options: { replace?: boolean; batchSize?: number } = {}): Promise<ImportReport> {
  const manifest = await verifyDump(dir);
  const existing = new Set(await userCollections(db));
  if (!options.replace) {
    for (const entry of manifest.collections) {
      if (existing.has(entry.name) && (await db.collection(entry.name).estimatedDocumentCount()) > 0) {
        throw new ConflictError(`collection ${entry.name} already holds data; use --replace to overwrite the database's collections.`);
      }
    }
  }
  const report: ImportReport = { collections: [], total: 0 };
  const batchSize = options.batchSize ?? 1000;
  for (const entry of manifest.collections) {
    if (existing.has(entry.name)) await db.collection(entry.name).drop();
    await db.createCollection(entry.name);
    const collection = db.collection(entry.name);
    for (const { key, ...indexOptions } of entry.indexes) await collection.createIndex(key, indexOptions);
    let batch: Document[] = [];
    for await (const { doc } of readDocuments(join(dir, entry.file))) {
      batch.push(doc);
      if (batch.length >= batchSize) {
        await collection.insertMany(batch, { ordered: true });
        batch = [];
      }
    }
    if (batch.length > 0) await collection.insertMany(batch, { ordered: true });
    const count = await collection.countDocuments();
    if (count !== entry.count) throw new ConflictError(`${entry.name}: restored ${count} documents, expected ${entry.count}.`);
    report.collections.push({ name: entry.name, count });
    report.total += count;
  }
  return report;
}
