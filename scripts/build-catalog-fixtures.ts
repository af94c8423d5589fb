/**
 * Builds the small CLUES import fixtures of test/fixtures/catalog/ from the real DGIS sample
 * (ESTABLECIMIENTO_SALUD_202501.csv, Hidalgo, 512 rows; see data/SOURCES.md): real rows, some
 * edited on purpose to cover every skip reason and every coordinate fallback. Writes the same
 * rows as UTF-8 and as Windows-1252 (Latin-1). The XLSX is generated from them at test time.
 *
 *   npx tsx scripts/build-catalog-fixtures.ts [path/to/ESTABLECIMIENTO_SALUD_202501.csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';

const source = process.argv[2] ?? '/work/shared/data/units/raw/najeralsc19_datos_unidad/ESTABLECIMIENTO_SALUD_202501.csv';
const out = join(import.meta.dirname, '..', 'test', 'fixtures', 'catalog');
const rows = parse<Record<string, string>>(readFileSync(source, 'utf8'), { columns: true, bom: true });
const headers = Object.keys(rows[0]);
const byClues = new Map(rows.map((row) => [row.CLUES, row]));

function row(clues: string, edits: Record<string, string> = {}): Record<string, string> {
  const base = byClues.get(clues);
  if (!base) throw new Error(`${clues} is not in the sample`);
  return { ...base, ...edits };
}

const picked: Record<string, string>[] = [
  // Well-located units (exact), several sharing a locality so the locality fallback has points.
  row('HGIMB000414'), // Atitalaquia, locality 0001
  row('HGIMB004194'), // Atitalaquia, locality 0001
  row('HGIMB004882', { LATITUD: '17.0732', LONGITUD: '-96.7266' }), // outside its state (Oaxaca) → locality
  row('HGIMB002292'), // Pachuca, locality 0001 (10 núcleos)
  row('HGIMB002316'),
  row('HGIMB002321', { LATITUD: '', LONGITUD: '' }), // missing → locality
  row('HGIMB002333', { LATITUD: '0.0', LONGITUD: '0.0' }), // zero → locality
  row('HGIMB000011', { LATITUD: '40.7128', LONGITUD: '-74.006' }), // outside Mexico; alone in its locality → municipality
  row('HGIMB000023', { LATITUD: '', LONGITUD: '' }), // missing; alone in its locality → municipality
  row('HGIMB005220'), // unidad móvil
  row('HGIMB002403'), // URBANO DE 12 NÚCLEOS BÁSICOS Y MÁS
  row('HGIMB005150'), // UNEME, not in the August 2026 catalogue
  row('HGIMB000035'),
  row('HGIMB000064'),
  row('HGIMB000076'),
  row('HGIMB000081'),
  // Skipped, one per reason.
  row('HGIMB000093', { CLUES: 'HGIMS000093', 'CLAVE DE LA INSTITUCION': 'IMS', 'NOMBRE DE LA INSTITUCION': 'INSTITUTO MEXICANO DEL SEGURO SOCIAL' }),
  row('HGIMB000105', { 'CLAVE ESTATUS DE OPERACION': '2', 'ESTATUS DE OPERACION': 'FUERA DE OPERACION' }),
  row('HGIMB000110', { 'CLAVE NIVEL ATENCION': '4', 'NIVEL ATENCION': 'NO APLICA' }),
  row('HGIMB000122', { 'CLAVE DE LA ENTIDAD': '99', ENTIDAD: 'NO ESPECIFICADO' }),
  row('HGIMB000040', { 'CLAVE DEL MUNICIPIO': '999', MUNICIPIO: 'NO EXISTE' }),
  row('HGIMB000052', { CLUES: 'HG-IMB-52' }),
  row('HGIMB002345', { 'NOMBRE DE LA UNIDAD': '' }),
  row('HGIMB000414', { 'NOMBRE DE LA UNIDAD': 'DUPLICADO' }),
];

function csvLine(values: string[]): string {
  return values.map((value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(',');
}

const text = `${[csvLine(headers), ...picked.map((r) => csvLine(headers.map((h) => r[h] ?? '')))].join('\r\n')}\r\n`;
writeFileSync(join(out, 'clues-sample-utf8.csv'), text);
writeFileSync(join(out, 'clues-sample-latin1.csv'), iconv.encode(text, 'win1252'));
process.stdout.write(`wrote ${picked.length} rows to ${out}\n`);
