/**
 * Reads the tabular files the operation really receives — DGIS `ESTABLECIMIENTO_SALUD_YYYYMM.xlsx`,
 * `CLUES_IMB.xlsx` (sheet BD_IMB), or CSV exports in UTF-8 or Latin-1 (Windows-1252) — into rows
 * of strings keyed by the file's own headers. Rows the CSV parser cannot read are counted, never
 * fatal: one broken line must not lose the good ones.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { normaliseName } from './reference.ts';

export interface RawRow {
  /** 1-based line (CSV) or row (XLSX) number in the file, for messages. */
  line: number;
  /** Cells by header as written in the file. */
  cells: Record<string, string>;
}

export interface TableRead {
  format: 'xlsx' | 'csv';
  encoding?: 'utf-8' | 'windows-1252';
  sheet?: string;
  headers: string[];
  rows: RawRow[];
  /** Lines the CSV parser rejected (bad quoting, …) with the parser's message. */
  unreadable: { line: number; detail: string }[];
}

export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

/** Sheet names tried first, in order, in an XLSX workbook. */
export const PREFERRED_SHEETS = ['BD_IMB'];

/** True when the row looks like the header row: it has a cell that is exactly "CLUES". */
function isHeaderRow(values: string[]): boolean {
  return values.some((value) => normaliseName(value) === 'CLUES');
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellText(value.result);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

async function readXlsx(path: string, sheetName: string | undefined, keep: (header: string) => boolean): Promise<TableRead> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', worksheets: 'emit', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  let chosen: TableRead | undefined;
  const seen: string[] = [];
  for await (const worksheet of reader) {
    const name = (worksheet as unknown as { name?: string }).name ?? '';
    seen.push(name);
    const wanted = sheetName === undefined ? true : name === sheetName;
    const preferred = PREFERRED_SHEETS.includes(name);
    if (!wanted || (chosen && !preferred) || (chosen && PREFERRED_SHEETS.includes(chosen.sheet ?? ''))) {
      for await (const _row of worksheet) {
        // drain the sheet: the streaming reader needs every row consumed
      }
      continue;
    }
    let headers: string[] | undefined;
    const rows: RawRow[] = [];
    for await (const row of worksheet) {
      const values: string[] = [];
      (row).eachCell({ includeEmpty: true }, (cell, column) => {
        values[column - 1] = cellText(cell.value).trim();
      });
      for (let i = 0; i < values.length; i += 1) values[i] ??= '';
      const rowNumber = (row).number;
      if (!headers) {
        if (rowNumber <= 20 && isHeaderRow(values)) headers = values;
        continue;
      }
      if (values.every((value) => value === '')) continue;
      const cells: Record<string, string> = {};
      headers.forEach((header, i) => {
        if (header !== '' && keep(header)) cells[header] = values[i] ?? '';
      });
      rows.push({ line: rowNumber, cells });
    }
    if (headers) chosen = { format: 'xlsx', sheet: name, headers: headers.filter((h) => h !== ''), rows, unreadable: [] };
  }
  if (!chosen) {
    const which = sheetName === undefined ? `any sheet (${seen.join(', ') || 'none'})` : `sheet "${sheetName}" (sheets: ${seen.join(', ')})`;
    throw new UnreadableFileError(`no header row with a CLUES column in the first 20 rows of ${which}`);
  }
  return chosen;
}

/** UTF-8 when the bytes are valid UTF-8; otherwise Windows-1252 (a superset of Latin-1 used by Excel). */
export function decodeText(bytes: Buffer): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'win1252'), encoding: 'windows-1252' };
  }
}

function detectDelimiter(headerLine: string): string {
  const candidates = [',', ';', '\t', '|'];
  let best = ',';
  let bestCount = 0;
  for (const candidate of candidates) {
    const count = headerLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

async function readCsvFile(path: string, keep: (header: string) => boolean): Promise<TableRead> {
  const { text, encoding } = decodeText(await readFile(path));
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const parser = parse(text, {
    delimiter: detectDelimiter(firstLine),
    relax_column_count: true,
    // A stray quote inside a field (ALCHOLOYA "EL SALTO") is kept as text instead of swallowing
    // the following lines into one field.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
  });
  const unreadable: TableRead['unreadable'] = [];
  parser.on('skip', (error: Error & { lines?: number }) => {
    unreadable.push({ line: error.lines ?? 0, detail: error.message });
  });
  let headers: string[] | undefined;
  const rows: RawRow[] = [];
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const values = record.record.map((value) => value.trim());
    if (!headers) {
      if (!isHeaderRow(values)) throw new UnreadableFileError(`the first line is not a header row with a CLUES column: "${firstLine.slice(0, 120)}"`);
      headers = values;
      continue;
    }
    const cells: Record<string, string> = {};
    headers.forEach((header, i) => {
      if (header !== '' && keep(header)) cells[header] = values[i] ?? '';
    });
    // Too many cells means a shifted row (an unquoted comma): its fields cannot be trusted.
    if (values.length > headers.length && values.slice(headers.length).some((value) => value !== '')) {
      unreadable.push({ line: record.info.lines, detail: `${values.length} fields where the header has ${headers.length}` });
      continue;
    }
    rows.push({ line: record.info.lines, cells });
  }
  if (!headers) throw new UnreadableFileError('the file is empty');
  return { format: 'csv', encoding, headers: headers.filter((h) => h !== ''), rows, unreadable };
}

/** Reads a .xlsx or .csv file (by extension). */
export interface ReadOptions {
  sheet?: string;
  /** Cells of other columns are dropped while reading (the DGIS file has 67 columns; we use 17). */
  keepColumn?: (header: string) => boolean;
}

export async function readTable(path: string, options: ReadOptions = {}): Promise<TableRead> {
  const keep = options.keepColumn ?? (() => true);
  const extension = extname(path).toLowerCase();
  if (extension === '.xlsx') {
    try {
      return await readXlsx(path, options.sheet, keep);
    } catch (error) {
      if (error instanceof UnreadableFileError) throw error;
      throw new UnreadableFileError(`not a readable .xlsx workbook: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (extension === '.csv' || extension === '.txt') return readCsvFile(path, keep);
  throw new UnreadableFileError(`unsupported file type "${extension || '(none)'}": use .xlsx or .csv`);
}
