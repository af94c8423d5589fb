#!/usr/bin/env node
// Fetches the embedded MongoDB wire server (mongo-java-server, Maven Central) and compiles our
// launcher. Runs as `postinstall`. Skipped when MONGODB_URI points at a real MongoDB or when
// RUTAS_SKIP_JAVA=1; a missing Java/Maven is reported clearly but does not break `npm install`
// (the service then explains what is missing when it needs the embedded server).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const javaSrc = join(root, 'src', 'db', 'java');
const vendor = join(root, 'vendor', 'java');
const stamp = join(vendor, 'stamp.txt');

function fingerprint() {
  const hash = createHash('sha256');
  for (const file of ['pom.xml', 'EmbeddedMongo.java']) hash.update(readFileSync(join(javaSrc, file)));
  return hash.digest('hex');
}

function have(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (process.env.RUTAS_SKIP_JAVA === '1') {
  console.log('[rutas] RUTAS_SKIP_JAVA=1: not installing the embedded MongoDB server.');
  process.exit(0);
}
const wanted = fingerprint();
if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) {
  console.log('[rutas] embedded MongoDB server already installed in vendor/java.');
  process.exit(0);
}
if (!have('java', ['-version']) || !have('javac', ['-version']) || !have('mvn', ['-v'])) {
  console.warn(
    '[rutas] WARNING: Java 17+ (java, javac) and Maven (mvn) are needed for the embedded MongoDB server.\n' +
      '[rutas] Install them and re-run `npm install`, or set MONGODB_URI to use a real MongoDB.',
  );
  process.exit(0);
}
rmSync(vendor, { recursive: true, force: true });
mkdirSync(join(vendor, 'classes'), { recursive: true });
console.log('[rutas] fetching mongo-java-server from Maven Central…');
execFileSync(
  'mvn',
  ['-q', '-B', '-f', join(javaSrc, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${join(vendor, 'lib')}`],
  { stdio: 'inherit' },
);
execFileSync(
  'javac',
  ['--release', '17', '-cp', `${join(vendor, 'lib')}/*`, '-d', join(vendor, 'classes'), join(javaSrc, 'EmbeddedMongo.java')],
  { stdio: 'inherit' },
);
writeFileSync(stamp, `${wanted}\n`);
console.log('[rutas] embedded MongoDB server installed in vendor/java.');
