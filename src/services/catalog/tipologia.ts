/**
 * Size class of a health unit from its CLUES tipología. The number of *núcleos básicos* (care
 * teams: one doctor and one or two nurses) in "URBANO DE 03 NÚCLEOS BÁSICOS" is the best public
 * signal of a unit's size; other tipologías map to their own class. The class drives the 30-day
 * kit quantities through data/kit/size-classes.csv.
 */
import { normaliseName } from './reference.ts';

export const SIZE_CLASSES = ['movil', 'nb-1', 'nb-2', 'nb-3-5', 'nb-6-12', 'uneme', 'cessa', 'caaps', 'clinica', 'hospital'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

export interface SizeClassification {
  sizeClass: SizeClass;
  /** Núcleos básicos stated by the tipología ("Y MÁS" counts as the number given); null when not stated. */
  nucleosBasicos: number | null;
}

export function sizeClassForNucleos(nucleos: number): SizeClass {
  if (nucleos <= 1) return 'nb-1';
  if (nucleos === 2) return 'nb-2';
  if (nucleos <= 5) return 'nb-3-5';
  return 'nb-6-12';
}

/**
 * Classifies a unit. `tipologia` is the official name ("RURAL DE 01 NÚCLEO BÁSICO"); `type` the
 * catalogue's grouping or DGIS establishment type, used when the tipología says nothing; `level`
 * 2 or 3 means a hospital whatever the tipología says.
 */
export function classifyUnit(tipologia: string, type = '', level = 1): SizeClassification {
  const t = normaliseName(tipologia);
  const both = `${t} ${normaliseName(type)}`;
  const nucleos = /(\d{1,2}) NUCLEOS? BASICOS?/.exec(t);
  if (level >= 2 || /\bHOSPITAL\b|\bHOSPITALES\b/.test(t.replace('CON HOSPITALIZACION', ''))) {
    return { sizeClass: 'hospital', nucleosBasicos: nucleos ? Number(nucleos[1]) : null };
  }
  if (nucleos) {
    const n = Number(nucleos[1]);
    if (n >= 1) return { sizeClass: sizeClassForNucleos(n), nucleosBasicos: n };
  }
  if (/UNIDAD(ES)? MOVIL|CARAVANA|\bMOVIL\b/.test(both)) return { sizeClass: 'movil', nucleosBasicos: null };
  if (/UNEME/.test(both)) return { sizeClass: 'uneme', nucleosBasicos: null };
  if (/CAAPS|CENTROS? AVANZADOS? DE ATENCION PRIMARIA/.test(both)) return { sizeClass: 'caaps', nucleosBasicos: null };
  if (/CESSA|SERVICIOS AMPLIADOS/.test(both)) return { sizeClass: 'cessa', nucleosBasicos: null };
  // The catalogue's grouping when the tipología is missing: "1-2 NUCLEOS" → the smaller class.
  const group = /(\d{1,2}) (\d{1,2}) NUCLEOS/.exec(normaliseName(type));
  if (group) return { sizeClass: sizeClassForNucleos(Number(group[1])), nucleosBasicos: null };
  return { sizeClass: 'clinica', nucleosBasicos: null };
}
