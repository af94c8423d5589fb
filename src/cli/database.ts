import type { Connection } from 'mongoose';
import { loadConfig, type Config } from '../config.ts';
import { connectMongoose } from '../db/connection.ts';
import { openDatabase } from '../db/database.ts';

/**
 * Runs a CLI command against the database: MONGODB_URI when set, else the embedded server of a
 * running `npm start` (found through the data directory), else an embedded server of our own
 * that is stopped when the command ends.
 */
export async function withDatabase<T>(work: (connection: Connection, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  try {
    const connection = await connectMongoose(database.uri);
    try {
      return await work(connection, config);
    } finally {
      await connection.close();
    }
  } finally {
    await database.release();
  }
}
