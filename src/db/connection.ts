import mongoose, { type Connection } from 'mongoose';

/**
 * One mongoose connection per process, created by the composition root and passed down.
 * Commands are not buffered while disconnected: a request during an outage fails fast
 * (→ 503 problem) instead of hanging. After an outage the driver's monitor finds the server
 * again within a heartbeat (5 s); a connection attempt that hangs is given up after 10 s rather
 * than the driver's 30 s, so the service recovers promptly once the database is back.
 */
export async function connectMongoose(uri: string, options: { serverSelectionTimeoutMS?: number } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
    connectTimeoutMS: 10_000,
    heartbeatFrequencyMS: 5_000,
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
