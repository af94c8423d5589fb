import mongoose, { type Connection } from 'mongoose';

/**
 * One mongoose connection per process, created by the composition root and passed down.
 * Commands are not buffered while disconnected: a request during an outage fails fast
 * (→ 503 problem) instead of hanging.
 */
export async function connectMongoose(uri: string, options: { serverSelectionTimeoutMS?: number } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
    bufferCommands: false,
    autoIndex: true,
    maxPoolSize: 20,
  });
  await connection.asPromise();
  return connection;
}

/** True when the database answers a ping within the timeout. */
export async function pingDatabase(connection: Connection, timeoutMs = 2000): Promise<boolean> {
  const db = connection.db;
  if (!db || connection.readyState !== mongoose.ConnectionStates.connected) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ping = db.admin().command({ ping: 1 });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('ping timed out')), timeoutMs);
    });
    await Promise.race([ping, timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
