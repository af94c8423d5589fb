import type { Models } from '../../models/index.ts';
import type { HealthUnitDoc } from '../../models/health-unit.ts';
import { NotFoundError } from '../errors.ts';
import { compareKeys, decodeCursor, definedOnly, encodeCursor, insertOrConflict, pageOf, toValidation, type Page, type PageRequest } from './common.ts';

/** A health unit as the services see it (no `_id`: the CLUES is the key). */
export type HealthUnit = Omit<HealthUnitDoc, '_id'>;
/** What a caller provides to create or upsert a unit (timestamps are managed). */
export type HealthUnitInput = Omit<HealthUnit, 'createdAt' | 'updatedAt' | 'institution' | 'timeWindows' | 'serviceTimeMin' | 'access' | 'active' | 'synthetic' | 'level' | 'locationPrecision' | 'source'> &
  Partial<Pick<HealthUnit, 'institution' | 'timeWindows' | 'serviceTimeMin' | 'access' | 'active' | 'synthetic' | 'level' | 'locationPrecision' | 'source'>>;
export type HealthUnitPatch = Partial<Omit<HealthUnit, 'clues' | 'createdAt' | 'updatedAt'>>;

export interface UnitFilter {
  state?: string;
  municipality?: string;
  level?: number;
  type?: string;
  warehouseId?: string;
  active?: boolean;
  /** Text search over CLUES, name, municipality and locality (case- and accent-insensitive). */
  q?: string;
  /** [minLng, minLat, maxLng, maxLat]. */
  bbox?: [number, number, number, number];
  source?: string;
}

type Lean = HealthUnitDoc & { _id: string };

export function toHealthUnit(doc: Lean): HealthUnit {
  const { _id, ...rest } = doc;
  return { ...rest, clues: _id };
}

/** Lower case without diacritics, for search. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function matchesText(unit: Lean, needle: string): boolean {
  return [unit._id, unit.name, unit.municipality?.name ?? '', unit.locality ?? ''].some((value) => foldText(value).includes(needle));
}

function insideBox(unit: Lean, bbox: [number, number, number, number]): boolean {
  const coordinates = unit.location?.coordinates;
  if (!coordinates) return false;
  const [lng, lat] = coordinates;
  return lng >= bbox[0] && lng <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
}

const SEARCH_TTL_MS = 15_000;
const SEARCH_FIELDS = { _id: 1, name: 1, state: 1, municipality: 1, locality: 1, location: 1, level: 1, type: 1, warehouseId: 1, active: 1, source: 1 };

function matchesFields(unit: Lean, filter: UnitFilter): boolean {
  return (
    (filter.state === undefined || unit.state?.code === filter.state) &&
    (filter.municipality === undefined || unit.municipality?.name === filter.municipality) &&
    (filter.level === undefined || unit.level === filter.level) &&
    (filter.type === undefined || unit.type === filter.type) &&
    (filter.warehouseId === undefined || unit.warehouseId === filter.warehouseId) &&
    (filter.active === undefined || unit.active === filter.active) &&
    (filter.source === undefined || unit.source === filter.source)
  );
}

export function createUnitRepository(models: Pick<Models, 'HealthUnit'>) {
  const { HealthUnit } = models;

  function mongoFilter(filter: UnitFilter): Record<string, unknown> {
    const query: Record<string, unknown> = {};
    if (filter.state !== undefined) query['state.code'] = filter.state;
    if (filter.municipality !== undefined) query['municipality.name'] = filter.municipality;
    if (filter.level !== undefined) query.level = filter.level;
    if (filter.type !== undefined) query.type = filter.type;
    if (filter.warehouseId !== undefined) query.warehouseId = filter.warehouseId;
    if (filter.active !== undefined) query.active = filter.active;
    if (filter.source !== undefined) query.source = filter.source;
    return query;
  }

  /**
   * The fields text search and bbox look at, for every unit, kept for SEARCH_TTL_MS: scanning
   * 9,460 documents on the embedded server costs ~0.6 s, the cached filter a few ms. Writes
   * through this repository refresh it; writes by another process show within the TTL.
   */
  let cache: { until: number; rows: Promise<Lean[]> } | undefined;
  function searchable(): Promise<Lean[]> {
    if (!cache || cache.until < Date.now()) {
      const rows = HealthUnit.find({}, SEARCH_FIELDS).lean<Lean[]>().exec();
      cache = { until: Date.now() + SEARCH_TTL_MS, rows };
      rows.catch(() => {
        cache = undefined;
      });
    }
    return cache.rows;
  }
  const invalidate = (): void => {
    cache = undefined;
  };

  return {
    async get(clues: string): Promise<HealthUnit | undefined> {
      const doc = await HealthUnit.findById(clues).lean<Lean>();
      return doc ? toHealthUnit(doc) : undefined;
    },

    async getMany(clues: readonly string[]): Promise<HealthUnit[]> {
      const docs = await HealthUnit.find({ _id: { $in: [...clues] } }).lean<Lean[]>();
      return docs.map(toHealthUnit);
    },

    /**
     * Field filters go to the database; text search and bbox run here in TypeScript (the embedded
     * server has no $geoWithin and only `_id`/unique indexes help anyway). Sorted by CLUES.
     */
    async list(filter: UnitFilter, page: PageRequest): Promise<Page<HealthUnit>> {
      const query = mongoFilter(filter);
      const needle = filter.q === undefined ? '' : foldText(filter.q.trim());
      if (needle === '' && filter.bbox === undefined) {
        // Field filters only: the page is read after the cursor by `_id`, the count separately.
        const after = decodeCursor(page.cursor);
        const [total, docs] = await Promise.all([
          HealthUnit.countDocuments(query),
          HealthUnit.find(after === undefined ? query : { ...query, _id: { $gt: after } })
            .sort({ _id: 1 })
            .limit(page.limit + 1)
            .lean<Lean[]>(),
        ]);
        const items = docs.slice(0, page.limit);
        return { items: items.map(toHealthUnit), total, next: docs.length > page.limit ? encodeCursor(items[items.length - 1]._id) : null };
      }
      // Text search and bbox: over the cached searchable fields, then the page's documents are read.
      const candidates = (await searchable()).filter((doc) => matchesFields(doc, filter));
      const matching = candidates.filter((doc) => (needle === '' || matchesText(doc, needle)) && (filter.bbox === undefined || insideBox(doc, filter.bbox)));
      matching.sort((a, b) => compareKeys(a._id, b._id));
      const result = pageOf(matching, (doc) => doc._id, page);
      const full = await HealthUnit.find({ _id: { $in: result.items.map((doc) => doc._id) } }).lean<Lean[]>();
      full.sort((a, b) => compareKeys(a._id, b._id));
      return { ...result, items: full.map(toHealthUnit) };
    },

    /** Every unit matching the field filters (for planning and stats); no pagination. */
    async all(filter: UnitFilter = {}): Promise<HealthUnit[]> {
      const docs = await HealthUnit.find(mongoFilter(filter)).sort({ _id: 1 }).lean<Lean[]>();
      return docs.map(toHealthUnit);
    },

    async count(filter: UnitFilter = {}): Promise<number> {
      return HealthUnit.countDocuments(mongoFilter(filter));
    },

    /** The few fields statistics need, for every unit (a projection: far faster than `all`). */
    async summaries(): Promise<{ clues: string; stateCode: string; locationPrecision: HealthUnit['locationPrecision']; source: HealthUnit['source']; active: boolean }[]> {
      const docs = await HealthUnit.find({}, { _id: 1, 'state.code': 1, locationPrecision: 1, source: 1, active: 1 })
        .sort({ _id: 1 })
        .lean<Pick<Lean, '_id' | 'state' | 'locationPrecision' | 'source' | 'active'>[]>();
      return docs.map((doc) => ({ clues: doc._id, stateCode: doc.state.code, locationPrecision: doc.locationPrecision, source: doc.source, active: doc.active }));
    },

    async create(input: HealthUnitInput): Promise<HealthUnit> {
      invalidate();
      const doc = await insertOrConflict(`Unit ${input.clues}`, () => HealthUnit.create({ ...input, _id: input.clues }));
      return toHealthUnit(doc.toObject());
    },

    /** Sets the given fields (nested objects are replaced whole); 404 when the unit does not exist. */
    async update(clues: string, patch: HealthUnitPatch): Promise<HealthUnit> {
      invalidate();
      let doc: Lean | null;
      try {
        doc = await HealthUnit.findByIdAndUpdate(clues, { $set: definedOnly(patch) }, { returnDocument: 'after', runValidators: true }).lean<Lean>();
      } catch (error) {
        throw toValidation(error);
      }
      if (!doc) throw new NotFoundError(`No unit with CLUES ${clues}.`);
      return toHealthUnit(doc);
    },

    /**
     * Inserts new units in one bulk insert (the seed of an empty database: about twice as fast as
     * upserts on the embedded server). Values are stored as given, with timestamps; a CLUES that
     * already exists is left alone and not counted (a concurrent seed got there first).
     */
    async insertMany(units: readonly HealthUnitInput[]): Promise<{ inserted: number }> {
      if (units.length === 0) return { inserted: 0 };
      invalidate();
      const now = new Date();
      const docs = units.map((unit) => ({ _id: unit.clues, ...definedOnly(unit), createdAt: now, updatedAt: now }));
      try {
        const result = await HealthUnit.collection.insertMany(docs as never[], { ordered: false });
        return { inserted: result.insertedCount };
      } catch (error) {
        const bulk = error as { code?: number; writeErrors?: { code?: number }[] | { code?: number }; insertedCount?: number; result?: { insertedCount?: number } };
        const writeErrors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : bulk.writeErrors ? [bulk.writeErrors] : [];
        if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== 11000)) throw error;
        return { inserted: bulk.insertedCount ?? bulk.result?.insertedCount ?? units.length - writeErrors.length };
      }
    },

    /**
     * Inserts or updates units by CLUES in one bulk write (seed and catalogue import). Fields of
     * `setOnInsert` are only written when the unit is new (e.g. `active`, `source`).
     */
    async upsertMany(units: readonly { set: Partial<HealthUnitInput> & { clues: string }; setOnInsert?: Partial<HealthUnitInput> }[]): Promise<{ inserted: number; updated: number }> {
      if (units.length === 0) return { inserted: 0, updated: 0 };
      invalidate();
      const result = await HealthUnit.bulkWrite(
        units.map(({ set, setOnInsert }) => ({
          updateOne: {
            filter: { _id: set.clues },
            update: { $set: definedOnly(set), ...(setOnInsert ? { $setOnInsert: definedOnly(setOnInsert) } : {}) },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      return { inserted: result.upsertedCount, updated: result.modifiedCount };
    },
  };
}

export type UnitRepository = ReturnType<typeof createUnitRepository>;
