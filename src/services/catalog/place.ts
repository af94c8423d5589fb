/**
 * Hooks for manual unit registration (POST /api/v1/units, src/services/units.ts): where to put a
 * unit registered without coordinates, and its size class from its tipología.
 */
import type { ClassifyUnit, PlaceUnit } from '../units.ts';
import { referenceData, type ReferenceData } from './reference.ts';
import { classifyUnit } from './tipologia.ts';

/**
 * Places a unit at its municipality's point (its most populous locality, INEGI 2020), precision
 * `municipality`; undefined when the municipality is not known (the caller then asks for
 * coordinates). A locality gazetteer is not shipped, so no `locality` precision here.
 */
export function municipalityPlacer(reference: ReferenceData = referenceData()): PlaceUnit {
  return ({ state, municipality }) => {
    const found =
      (municipality.code ? reference.findMunicipality(state.code, municipality.code) : undefined) ?? reference.findMunicipality(state.code, municipality.name);
    if (!found) return undefined;
    return { location: { type: 'Point', coordinates: [found.lng, found.lat] }, locationPrecision: 'municipality' };
  };
}

/** Size class from the tipología ("URBANO DE 03 NÚCLEOS BÁSICOS" → nb-3-5), type and level. */
export const sizeClassOf: ClassifyUnit = ({ tipologia, type, level }) => classifyUnit(tipologia ?? '', type, level).sizeClass;
