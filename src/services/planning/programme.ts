/**
 * The official route programme ("PROGRAMACIÓN DE RUTAS DE LA SALUD…"), laid out exactly like the
 * operation's own Excel (operation.md §7b): title merged D2:J4 with the date range, round name in
 * A4:C4, row 6 ENTIDAD / COORDINADOR / NÚMERO DE UNIDADES, row 7 headers, one row per unit from
 * row 8. One sheet per state (sheet "Reporte" when the workbook holds one state).
 */
import ExcelJS from 'exceljs';
import { spanishDateRange } from './calendar.ts';
import type { PlannedRoute, StateInfo, UnassignedUnit } from './types.ts';

export const PROGRAMME_HEADERS = [
  'FECHA DE DISTRIBUCIÓN PROGRAMADA',
  'RUTAS',
  'CLUES',
  'NOMBRE DE LA UNIDAD',
  'CLAVES A DESPLAZAR',
  'PIEZAS DE MEDICAMENTO',
  'PIEZAS DE MATERIAL DE CURACIÓN',
  'TIPO DE UNIDAD MÉDICA',
  '¿QUIÉN RECIBE EN UNIDAD?',
  'TELÉFONO',
  'CORREO',
] as const;

export function programmeTitle(level: 'first' | 'second-third'): string {
  const units = level === 'first' ? 'UNIDADES DE PRIMER NIVEL DE ATENCIÓN' : 'UNIDADES DE SEGUNDO Y TERCER NIVEL DE ATENCIÓN';
  return `PROGRAMACIÓN DE RUTAS DE LA SALUD PARA ABASTECER PIEZAS DE MEDICAMENTOS Y MATERIAL DE CURACIÓN A ${units}`;
}

export interface ProgrammeRow {
  date: string;
  route: number;
  clues: string;
  name: string;
  claves: number;
  medicinePieces: number;
  supplyPieces: number;
  unitType: string;
  receiverName: string;
  phone: string;
  email: string;
}

export interface ProgrammeState {
  state: StateInfo;
  coordinator: string;
  rows: ProgrammeRow[];
}

/** Rows per state from the plan's routes, by date, route and visit order. */
export function programmeStates(routes: readonly PlannedRoute[], coordinators: ReadonlyMap<string, string>): ProgrammeState[] {
  const byState = new Map<string, ProgrammeState>();
  for (const route of routes) {
    for (const stop of route.stops) {
      let entry = byState.get(stop.state.code);
      if (!entry) byState.set(stop.state.code, (entry = { state: stop.state, coordinator: coordinators.get(stop.state.code) ?? '', rows: [] }));
      entry.rows.push({
        date: stop.date,
        route: route.number,
        clues: stop.clues,
        name: stop.name,
        claves: stop.totals.claves,
        medicinePieces: stop.totals.medicinePieces,
        supplyPieces: stop.totals.supplyPieces,
        unitType: stop.unitType,
        receiverName: stop.receiverName ?? '',
        phone: stop.phone ?? '',
        email: stop.email ?? '',
      });
    }
  }
  for (const entry of byState.values()) entry.rows.sort((a, b) => a.date.localeCompare(b.date) || a.route - b.route);
  return [...byState.values()].sort((a, b) => a.state.code.localeCompare(b.state.code));
}

function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31).trim() || 'Entidad';
  let candidate = base;
  for (let k = 2; used.has(candidate.toLowerCase()); k++) candidate = `${base.slice(0, 28)} ${k}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function fillSheet(sheet: ExcelJS.Worksheet, round: { name: string; level: 'first' | 'second-third'; deliveryStart: string; deliveryEnd: string }, state: ProgrammeState): void {
  sheet.columns = [18, 10, 16, 42, 12, 14, 16, 24, 28, 16, 28].map((width) => ({ width }));
  sheet.mergeCells('D2:J4');
  const title = sheet.getCell('D2');
  title.value = `${programmeTitle(round.level)}\n${spanishDateRange(round.deliveryStart, round.deliveryEnd)}`;
  title.font = { bold: true, size: 12 };
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  sheet.mergeCells('A4:C4');
  const name = sheet.getCell('A4');
  name.value = round.name;
  name.font = { bold: true };
  sheet.getCell('A6').value = 'ENTIDAD:';
  sheet.getCell('B6').value = state.state.name.toUpperCase();
  sheet.getCell('D6').value = 'COORDINADOR:';
  sheet.getCell('E6').value = state.coordinator;
  sheet.getCell('G6').value = `NÚMERO DE UNIDADES DE ${round.level === 'first' ? '1er' : '2do y 3er'} NIVEL:`;
  sheet.getCell('H6').value = new Set(state.rows.map((r) => r.clues)).size;
  for (const ref of ['A6', 'D6', 'G6']) sheet.getCell(ref).font = { bold: true };
  const header = sheet.getRow(7);
  PROGRAMME_HEADERS.forEach((text, k) => {
    const cell = header.getCell(k + 1);
    cell.value = text;
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF611232' } };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });
  header.height = 32;
  state.rows.forEach((row, k) => {
    const excelRow = sheet.getRow(8 + k);
    const [y, m, d] = row.date.split('-').map(Number);
    excelRow.values = [new Date(Date.UTC(y, m - 1, d)), row.route, row.clues, row.name, row.claves, row.medicinePieces, row.supplyPieces, row.unitType.toUpperCase(), row.receiverName, row.phone, row.email];
    excelRow.getCell(1).numFmt = 'dd/mm/yyyy';
    excelRow.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = BORDER;
    });
  });
  sheet.views = [{ state: 'frozen', ySplit: 7 }];
}

/** The workbook for the given states (one sheet each), plus "SIN PROGRAMAR" when units were left out. */
export function buildProgrammeWorkbook(input: {
  round: { name: string; level: 'first' | 'second-third'; deliveryStart: string; deliveryEnd: string };
  states: readonly ProgrammeState[];
  unassigned?: readonly UnassignedUnit[];
}): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Rutas de la Salud';
  workbook.created = new Date();
  const used = new Set<string>();
  if (input.states.length === 0) fillSheet(workbook.addWorksheet('Reporte'), input.round, { state: { code: '', name: '' }, coordinator: '', rows: [] });
  for (const state of input.states) {
    const sheet = workbook.addWorksheet(input.states.length === 1 ? sheetName('Reporte', used) : sheetName(state.state.name.toUpperCase(), used));
    fillSheet(sheet, input.round, state);
  }
  if (input.unassigned && input.unassigned.length > 0) {
    const sheet = workbook.addWorksheet(sheetName('SIN PROGRAMAR', used));
    sheet.columns = [{ width: 22 }, { width: 16 }, { width: 42 }, { width: 16 }, { width: 70 }];
    sheet.addRow(['ENTIDAD', 'CLUES', 'NOMBRE DE LA UNIDAD', 'MOTIVO', 'DETALLE']).font = { bold: true };
    for (const u of input.unassigned) sheet.addRow([u.state.name.toUpperCase(), u.clues, u.name, u.reason, u.detail]);
  }
  return workbook;
}

/** `<ENTIDAD>_<ROUND>_RUTAS_CLUES_PIEZAS.xlsx`, safe for a Content-Disposition header. */
export function programmeFileName(entity: string, roundName: string): string {
  const clean = (text: string) =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  return `${clean(entity) || 'NACIONAL'}_${clean(roundName) || 'JORNADA'}_RUTAS_CLUES_PIEZAS.xlsx`;
}
