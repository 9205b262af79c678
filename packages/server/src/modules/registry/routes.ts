import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Household,
  HouseholdInput,
  HouseholdPage,
  HouseholdSearchQuery,
  HouseholdUpdateInput,
  ImportReport,
  PageQuery,
  RevealBody,
  RevealResult,
  StaffRelative,
  StaffRelativeInput,
  REGISTRY_EDITORS,
  REGISTRY_MANAGERS,
  REGISTRY_READERS,
  REGISTRY_REVEALERS,
} from '@jiuzhu/shared';
import { InvalidField } from '../../errors';
import { importErrorsCsv, importRegister, importTemplate } from './import';
import { addStaffRelative, listStaffRelatives, removeStaffRelative } from './relatives';
import { createHousehold, getHousehold, reveal, searchHouseholds, updateHousehold } from './service';

const IdParams = z.strictObject({ id: z.string().max(64) });
const MemberParams = z.strictObject({ id: z.string().max(64), memberId: z.string().max(64) });

/** The uploaded file's name as the browser sent it (percent-encoded); a malformed one is kept as it came. */
function decodeFileName(raw: string | undefined): string {
  if (!raw) return 'upload.csv';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export default async function registryRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector } = app.deps;
  const tags = ['registry'];
  const read = { access: REGISTRY_READERS };
  const edit = { access: REGISTRY_EDITORS };
  const revealAccess = { access: REGISTRY_REVEALERS };

  r.get(
    '/api/households',
    {
      config: read,
      schema: {
        tags,
        summary: 'Search households in the caller’s region',
        querystring: HouseholdSearchQuery,
        response: { 200: HouseholdPage },
      },
    },
    (req) => searchHouseholds(db, protector, req.query),
  );
  r.post(
    '/api/households',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Register a household with its members',
        body: HouseholdInput,
        response: { 201: Household },
      },
    },
    async (req, reply) => reply.status(201).send(await createHousehold(db, protector, req.body)),
  );
  r.get(
    '/api/households/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A household: members (masked), flags, history',
        params: IdParams,
        response: { 200: Household },
      },
    },
    (req) => getHousehold(db, protector, req.params.id),
  );
  r.put(
    '/api/households/:id',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Edit a household (optimistic: send the version you started from)',
        params: IdParams,
        body: HouseholdUpdateInput,
        response: { 200: Household },
      },
    },
    (req) => updateHousehold(db, protector, req.params.id, req.body),
  );
  r.post(
    '/api/households/:id/reveal',
    {
      config: revealAccess,
      schema: {
        tags,
        summary: 'Show the address in plaintext (audited, reason required)',
        params: IdParams,
        body: RevealBody,
        response: { 200: RevealResult },
      },
    },
    async (req) => ({
      field: req.body.field,
      value: await reveal(db, protector, req.params.id, null, req.body.field, req.body.reason),
    }),
  );
  r.post(
    '/api/households/:id/members/:memberId/reveal',
    {
      config: revealAccess,
      schema: {
        tags,
        summary: 'Show a member’s protected value in plaintext (audited, reason required)',
        params: MemberParams,
        body: RevealBody,
        response: { 200: RevealResult },
      },
    },
    async (req) => ({
      field: req.body.field,
      value: await reveal(db, protector, req.params.id, req.params.memberId, req.body.field, req.body.reason),
    }),
  );

  // Register files arrive as the raw bytes of an .xlsx or .csv (the browser sends the file as it is).
  const FILE_TYPES = [
    'application/octet-stream',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ];
  app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: 200 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );
  const importers = { access: REGISTRY_MANAGERS };
  r.get(
    '/api/households/import/template.xlsx',
    {
      config: importers,
      schema: { tags, summary: 'The register import template (XLSX, with a sheet explaining each column)' },
    },
    async (_req, reply) =>
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('家庭成员导入模板.xlsx')}`)
        .send(await importTemplate()),
  );
  r.post(
    '/api/households/import',
    {
      config: importers,
      schema: {
        tags,
        summary: 'Import a register file (XLSX or CSV, raw bytes); dryRun=true only checks and reports',
        querystring: z.strictObject({ dryRun: z.enum(['true', 'false']).default('true') }),
        headers: z.object({ 'x-filename': z.string().max(300).optional() }),
        response: { 200: ImportReport },
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw InvalidField('file', 'import.noFile');
      const fileName = decodeFileName(req.headers['x-filename']);
      return importRegister(db, protector, { buffer: req.body, fileName }, req.query.dryRun === 'true');
    },
  );
  r.get(
    '/api/households/import/:id/errors.csv',
    { config: importers, schema: { tags, summary: 'The row errors of an import as CSV', params: IdParams } },
    async (req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('导入错误报告.csv')}`)
        .send(await importErrorsCsv(db, req.params.id)),
  );

  const relatives = { access: REGISTRY_MANAGERS };
  r.get(
    '/api/staff-relatives',
    {
      config: relatives,
      schema: {
        tags,
        summary: 'Registered relatives of staff (近亲属备案)',
        querystring: PageQuery,
        response: { 200: z.object({ items: z.array(StaffRelative), total: z.number().int() }) },
      },
    },
    (req) => listStaffRelatives(db, req.query.page, req.query.pageSize),
  );
  r.post(
    '/api/staff-relatives',
    {
      config: relatives,
      schema: {
        tags,
        summary: 'Register a relative of a staff member or village cadre',
        body: StaffRelativeInput,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send({ id: await addStaffRelative(db, protector, req.body) }),
  );
  r.delete(
    '/api/staff-relatives/:id',
    {
      config: relatives,
      schema: { tags, summary: 'Remove a registration', params: IdParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await removeStaffRelative(db, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
