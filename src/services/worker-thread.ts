/**
 * Starting worker threads whose entry is TypeScript: the service runs under tsx, whose loader
 * hooks only the main thread on Node 20, so a `.ts` entry is started through a small bootstrap
 * that registers tsx inside the worker first. A compiled `.js` entry is started directly.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Code that starts a worker on a .ts entry under tsx (Node 20 only hooks the main thread). */
function bootstrap(url: URL): string {
  const api = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
}

/**
 * The URL of a sibling worker entry named `<name>.ts` or `<name>.js`, whichever matches the
 * calling module (`import.meta.url` of the caller).
 */
export function siblingEntry(name: string, callerUrl: string): URL {
  return new URL(`./${name}.${callerUrl.endsWith('.ts') ? 'ts' : 'js'}`, callerUrl);
}

/** Starts a worker thread on `url` (a .ts entry under tsx, or plain JavaScript). */
export function startWorker(url: URL): Worker {
  return url.pathname.endsWith('.ts') ? new Worker(bootstrap(url), { eval: true }) : new Worker(url);
}
