#!/usr/bin/env node
// Builds the web console (src/web) into src/web/dist, which the service serves at `/`.
// Idempotent and fast (esbuild, well under a second): it always rewrites dist/ completely, so it
// is safe to run before every `npm start` / test run. Usage: node scripts/build-web.mjs [--dev]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'src', 'web');
const dist = join(web, 'dist');
const dev = process.argv.includes('--dev');

/** The Mexico state geometry shipped in data/ (the offline basemap); first match wins. */
const GEO_CANDIDATES = [
  process.env.RUTAS_GEO_FILE,
  join(root, 'data', 'geo', 'mx-states.geojson'),
  join(root, 'data', 'mx-states.geojson'),
].filter(Boolean);

export async function buildWeb({ quiet = false } = {}) {
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'geo'), { recursive: true });
  mkdirSync(join(dist, 'vendor', 'images'), { recursive: true });

  const common = {
    bundle: true,
    minify: !dev,
    sourcemap: true,
    target: ['es2022'],
    logLevel: 'warning',
    legalComments: 'none',
  };
  await Promise.all([
    build({ ...common, entryPoints: [join(web, 'src', 'main.ts')], outfile: join(dist, 'app.js'), format: 'esm' }),
    // The service worker must be a classic script at the root so its scope is the whole console.
    build({ ...common, entryPoints: [join(web, 'src', 'sw.ts')], outfile: join(dist, 'sw.js'), format: 'iife' }),
  ]);

  copyFileSync(join(web, 'styles.css'), join(dist, 'styles.css'));
  const leafletDist = join(root, 'node_modules', 'leaflet', 'dist');
  copyFileSync(join(leafletDist, 'leaflet.css'), join(dist, 'vendor', 'leaflet.css'));
  for (const file of readdirSync(join(leafletDist, 'images'))) {
    copyFileSync(join(leafletDist, 'images', file), join(dist, 'vendor', 'images', file));
  }

  const geoSource = GEO_CANDIDATES.find((path) => existsSync(path));
  const geo = geoSource ? simplifyGeo(JSON.parse(readFileSync(geoSource, 'utf8'))) : { type: 'FeatureCollection', features: [] };
  if (!geoSource && !quiet) process.stderr.write('build-web: no mx-states.geojson in data/; the basemap will be empty\n');
  writeFileSync(join(dist, 'geo', 'mx-states.json'), JSON.stringify(geo));

  // The version string changes whenever an asset changes, so the service worker refreshes its cache.
  const hash = createHash('sha256');
  for (const file of ['app.js', 'sw.js', 'styles.css', 'geo/mx-states.json']) hash.update(readFileSync(join(dist, file)));
  const version = hash.digest('hex').slice(0, 12);
  const html = readFileSync(join(web, 'index.html'), 'utf8').replaceAll('__VERSION__', version);
  writeFileSync(join(dist, 'index.html'), html);
  writeFileSync(join(dist, 'version.json'), JSON.stringify({ version }));
  if (!quiet) process.stdout.write(`build-web: src/web/dist (${version}) in ${Date.now() - started} ms${geoSource ? '' : ', no basemap'}\n`);
  return { version, basemap: Boolean(geoSource) };
}

/**
 * Rounds coordinates to 3 decimals (~100 m, plenty for a national basemap) and drops the points
 * that collapse onto their predecessor; keeps rings closed and at least 4 points long.
 */
function simplifyGeo(collection) {
  const ring = (points) => {
    const out = [];
    for (const [lng, lat] of points) {
      const p = [Math.round(lng * 1000) / 1000, Math.round(lat * 1000) / 1000];
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    if (out.length > 0) {
      const [first, last] = [out[0], out[out.length - 1]];
      if (first[0] !== last[0] || first[1] !== last[1]) out.push([...first]);
    }
    return out.length >= 4 ? out : null;
  };
  const polygon = (rings) => rings.map(ring).filter(Boolean);
  const features = [];
  for (const feature of collection.features ?? []) {
    const g = feature.geometry;
    if (!g) continue;
    let geometry;
    if (g.type === 'Polygon') geometry = { type: 'Polygon', coordinates: polygon(g.coordinates) };
    else if (g.type === 'MultiPolygon') geometry = { type: 'MultiPolygon', coordinates: g.coordinates.map(polygon).filter((p) => p.length > 0) };
    else continue;
    const p = feature.properties ?? {};
    features.push({ type: 'Feature', properties: { code: p.code ?? p.CVE_ENT ?? '', name: p.name ?? p.NOMGEO ?? '' }, geometry });
  }
  return { type: 'FeatureCollection', features };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildWeb();
}
