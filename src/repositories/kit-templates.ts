import type { Models } from '../../models/index.ts';
import type { KitTemplateDoc } from '../../models/kit-template.ts';
import { keyedRepository } from './keyed.ts';

/** A 30-day kit per size class; `sizeClass` is the key. */
export type KitTemplate = Omit<KitTemplateDoc, '_id'>;
export type KitTemplateInput = Omit<KitTemplate, 'createdAt' | 'updatedAt' | 'coverageDays'> & Partial<Pick<KitTemplate, 'coverageDays'>>;
export type KitTemplatePatch = Partial<Omit<KitTemplate, 'sizeClass' | 'createdAt' | 'updatedAt'>>;

export function toKitTemplate(doc: KitTemplateDoc): KitTemplate {
  const { _id, ...rest } = doc;
  return { ...rest, sizeClass: _id };
}

export function createKitTemplateRepository(models: Pick<Models, 'KitTemplate'>) {
  const base = keyedRepository({ model: models.KitTemplate, label: 'Kit template', toDomain: toKitTemplate, keyOf: (k: KitTemplate) => k.sizeClass });
  return {
    get: base.get,
    getMany: base.getMany,
    list: (page: Parameters<typeof base.list>[1]) => base.list({}, page),
    all: () => base.all({}),
    count: () => base.count({}),
    create: (input: KitTemplateInput) => base.create(input.sizeClass, input),
    update: (sizeClass: string, patch: KitTemplatePatch) => base.update(sizeClass, patch),
    async remove(sizeClass: string): Promise<boolean> {
      const result = await models.KitTemplate.deleteOne({ _id: sizeClass });
      return result.deletedCount === 1;
    },
    /** Bulk upsert by size class (seed). */
    upsertMany: (rows: readonly KitTemplateInput[]) => base.upsertMany(rows.map((set) => ({ id: set.sizeClass, set }))),
  };
}

export type KitTemplateRepository = ReturnType<typeof createKitTemplateRepository>;
