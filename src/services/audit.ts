import type { AuditEntry, AuditEntryInput, AuditFilter, AuditRepository } from '../repositories/audit.ts';
import type { Page } from '../repositories/common.ts';
import { authorize, type Principal } from './auth.ts';

export type { AuditEntry, AuditEntryInput, AuditFilter } from '../repositories/audit.ts';

/** The audit log: every write request is recorded (who, when, what, outcome); admins query it. */
export function createAuditService(deps: { audit: AuditRepository }) {
  return {
    record: (entry: AuditEntryInput): Promise<void> => deps.audit.insert(entry),
    async list(principal: Principal, filter: AuditFilter, page: { limit: number; cursor?: string }): Promise<Page<AuditEntry>> {
      authorize(principal, 'audit:read');
      return deps.audit.list(filter, page);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
