import type { AuditEvent, AuditEventType, AuditRecord, Caller } from "../domain/audit";

// The audit trail, as every use case writes it and operators read it (kernel/app/dependencies.ts
// gathers every capability's interfaces into AuthDeps); adapters/db implements it.

export interface AuditLog {
  record(caller: Caller, audit: AuditRecord[]): Promise<void>;
  list(filter: { userId?: string; type?: AuditEventType; after?: { time: Date; id: string }; limit: number }): Promise<AuditEvent[]>;
}
