import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditList, AuditQuery, AuditVerifyResult } from '@jiuzhu/shared';
import { listAudit, verifyAudit } from './service';

export default async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const config = { access: ['auditor', 'city_admin'] as const };
  const tags = ['audit'];

  r.get(
    '/api/audit',
    {
      config,
      schema: { tags, summary: 'The audit trail, newest first', querystring: AuditQuery, response: { 200: AuditList } },
    },
    (req) => listAudit(db, req.query),
  );
  r.get(
    '/api/audit/verify',
    { config, schema: { tags, summary: 'Recompute the hash chain', response: { 200: AuditVerifyResult } } },
    () => verifyAudit(db),
  );
}
