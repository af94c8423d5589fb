import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'catalog');
export const UTF8_CSV = join(FIXTURES, 'clues-sample-utf8.csv');
export const LATIN1_CSV = join(FIXTURES, 'clues-sample-latin1.csv');

/**
 * Writes the fixture rows as a CLUES_IMB-style workbook: a notes sheet first, then sheet BD_IMB
 * with a title row above the headers, numbers stored as numbers (as Excel does).
 */
export async function writeFixtureXlsx(path: string): Promise<void> {
  const parsed: unknown = parse(readFileSync(UTF8_CSV, 'utf8'), { relax_column_count: true });
  const rows = parsed as string[][];
  const [header, ...data] = rows;
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Notas').addRow(['Catálogo CLUES IMSS-Bienestar, extracto de prueba']);
  const sheet = workbook.addWorksheet('BD_IMB');
  sheet.addRow(['CATÁLOGO DE ESTABLECIMIENTOS DE SALUD — IMSS BIENESTAR']);
  sheet.addRow([]);
  sheet.addRow(header);
  for (const row of data) sheet.addRow(row.map((value) => (/^-?\d+(\.\d+)?$/.test(value) && !/^0\d/.test(value) ? Number(value) : value)));
  await workbook.xlsx.writeFile(path);
}
