import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/**
 * Launches the embedded MongoDB wire-protocol server (mongo-java-server, see src/db/java/).
 *
 * The child never outlives us: it exits when its stdin closes, which the OS does for us even
 * when this process is SIGKILLed; on a normal exit we also signal it explicitly.
 */

export class EmbeddedServerError extends Error {
  override name = 'EmbeddedServerError';
}

export interface EmbeddedServer {
  readonly port: number;
  readonly pid: number;
  /** Connection string without a database name, e.g. mongodb://127.0.0.1:40123 */
  readonly uri: string;
  /** Resolves when the process has exited (after stop() or a crash). */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** H2 file for persistence; omit for an in-memory database. */
  file?: string;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  startTimeoutMs?: number;
  /** Receives the server's own log lines. */
  onLog?: (line: string) => void;
  /** Where vendor/java lives (defaults to this checkout). */
  javaHome?: string;
  /** Keep an oplog so change streams work. Off by default: it doubles the cost of every write. */
  oplog?: boolean;
}

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Checks `java -version` and returns the major version, or explains what is missing. */
export function checkJava(): number {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new EmbeddedServerError(
      'Java 17 or newer is required for the embedded MongoDB server but `java` was not found. ' +
        'Install a JDK 17+ (e.g. `apt-get install openjdk-17-jdk-headless`) and run `npm install` again, ' +
        'or set MONGODB_URI to use an existing MongoDB.',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < 17) {
    throw new EmbeddedServerError(
      `Java 17 or newer is required for the embedded MongoDB server; found Java ${major || 'of unknown version'}. ` +
        'Install a JDK 17+, or set MONGODB_URI to use an existing MongoDB.',
    );
  }
  return major;
}

function classpath(javaHome: string): string {
  const lib = join(javaHome, 'lib');
  const classes = join(javaHome, 'classes');
  if (!existsSync(join(classes, 'EmbeddedMongo.class')) || !existsSync(lib)) {
    throw new EmbeddedServerError(
      `The embedded MongoDB server is not installed (${javaHome} is missing). ` +
        'Run `npm install` (it fetches mongo-java-server with Maven), or set MONGODB_URI.',
    );
  }
  return `${lib}/*:${classes}`;
}

const running = new Set<ChildProcessByStdio<Writable, Readable, Readable>>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export async function startEmbeddedMongo(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  checkJava();
  const javaHome = options.javaHome ?? join(projectRoot, 'vendor', 'java');
  const args = ['-Xss1m', '-XX:+UseSerialGC', '-cp', classpath(javaHome), 'EmbeddedMongo', '--port', String(options.port ?? 0)];
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true });
    args.push('--file', options.file);
  } else {
    args.push('--memory');
  }
  if (options.oplog) args.push('--oplog');
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  installExitHook();
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });

  const recentLog: string[] = [];
  const remember = (line: string): void => {
    recentLog.push(line);
    if (recentLog.length > 20) recentLog.shift();
    options.onLog?.(line);
  };
  let stderrBuffer = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrBuffer += chunk;
    let newline: number;
    while ((newline = stderrBuffer.indexOf('\n')) >= 0) {
      remember(stderrBuffer.slice(0, newline));
      stderrBuffer = stderrBuffer.slice(newline + 1);
    }
  });
  // The parent must not die on EPIPE when the child has already exited.
  child.stdin.on('error', () => undefined);

  const port = await new Promise<number>((resolve, reject) => {
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EmbeddedServerError(`the embedded MongoDB server did not start within ${options.startTimeoutMs ?? 30_000} ms`));
    }, options.startTimeoutMs ?? 30_000);
    let stdoutBuffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdoutBuffer += chunk;
      const match = /READY (\d+)/.exec(stdoutBuffer);
      if (match) {
        clearTimeout(timeout);
        resolve(Number(match[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timeout);
      const log = recentLog.join('\n');
      const locked = /locked|Lock|already in use/i.test(log);
      reject(
        new EmbeddedServerError(
          locked && options.file
            ? `the database file ${options.file} is in use by another process (is another rutas process running?)`
            : `the embedded MongoDB server exited with code ${code} before it was ready:\n${log}`,
        ),
      );
    });
  });

  return {
    port,
    pid: child.pid ?? -1,
    uri: `mongodb://127.0.0.1:${port}`,
    exited,
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
