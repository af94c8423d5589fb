import { NotFoundError, ValidationError, type FieldError } from '../errors.ts';
import type { Page, PageRequest } from '../repositories/common.ts';
import type { ItemRepository } from '../repositories/items.ts';
import type { KitTemplate, KitTemplateInput, KitTemplatePatch, KitTemplateRepository } from '../repositories/kit-templates.ts';
import { authorize, type Principal } from './auth.ts';

export type { KitTemplate } from '../repositories/kit-templates.ts';

/** Kit templates (30-day quantities per size class): staff read them; planners and admins change them. */
export function createKitTemplateService(deps: { kitTemplates: KitTemplateRepository; items: Pick<ItemRepository, 'codes'> }) {
  const { kitTemplates } = deps;
  async function load(sizeClass: string): Promise<KitTemplate> {
    const kit = await kitTemplates.get(sizeClass);
    if (!kit) throw new NotFoundError(`No kit template for size class ${sizeClass}.`);
    return kit;
  }
  async function checkLines(lines: KitTemplate['lines'] | undefined): Promise<void> {
    if (lines === undefined) return;
    const codes = await deps.items.codes();
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    lines.forEach((line, i) => {
      if (!codes.has(line.code)) errors.push({ pointer: `/body/lines/${i}/code`, detail: `unknown item code ${line.code}` });
      else if (seen.has(line.code)) errors.push({ pointer: `/body/lines/${i}/code`, detail: `item ${line.code} appears more than once` });
      seen.add(line.code);
    });
    if (errors.length > 0) throw new ValidationError('The kit template is not valid.', errors);
  }
  return {
    async list(principal: Principal, page: PageRequest): Promise<Page<KitTemplate>> {
      authorize(principal, 'kit-templates:read');
      return kitTemplates.list(page);
    },
    async get(principal: Principal, sizeClass: string): Promise<KitTemplate> {
      authorize(principal, 'kit-templates:read');
      return load(sizeClass);
    },
    async create(principal: Principal, input: KitTemplateInput): Promise<KitTemplate> {
      authorize(principal, 'kit-templates:write');
      await checkLines(input.lines);
      return kitTemplates.create(input);
    },
    async update(principal: Principal, sizeClass: string, patch: KitTemplatePatch): Promise<KitTemplate> {
      authorize(principal, 'kit-templates:write');
      await load(sizeClass);
      await checkLines(patch.lines);
      return kitTemplates.update(sizeClass, patch);
    },
    async remove(principal: Principal, sizeClass: string): Promise<KitTemplate> {
      authorize(principal, 'kit-templates:write');
      const kit = await load(sizeClass);
      await kitTemplates.remove(sizeClass);
      return kit;
    },
  };
}

export type KitTemplateService = ReturnType<typeof createKitTemplateService>;
