import type { FastifyInstance } from 'fastify';
import { attachment } from '../../exports';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Household,
  HouseholdInput,
  HouseholdPage,
  HouseholdSearchQuery,
  HouseholdUpdateInput,
  ImportProgress,
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
  Text,
} from '@jiuzhu/shared';
import { InvalidField } from '../../errors';
import { removeUpload, saveUpload } from '../../uploads';
import { getImportProgress, importErrorsCsv, importTemplate, runRegisterImport, startRegisterImport } from './import';
import { addStaffRelative, listStaffRelatives, removeStaffRelative } from './relatives';
import { createHousehold, getHousehold, reveal, searchHouseholds, updateHousehold } from './service';

/** The largest register file accepted (a whole county's register fits). */
const IMPORT_LIMIT_BYTES = 200 * 1024 * 1024;

const IdParams = z.strictObject({ id: Text.max(64) });
const MemberParams = z.strictObject({ id: Text.max(64), memberId: Text.max(64) });

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
  const { db, database, protector, config } = app.deps;
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
  // The body reaches the handler as a stream and goes to disk (never whole in memory).
  app.addContentTypeParser(FILE_TYPES, (_req, payload, done) => done(null, payload));
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
        .header('content-disposition', attachment('家庭成员导入模板.xlsx'))
        .send(await importTemplate()),
  );
  r.post(
    '/api/households/import',
    {
      config: importers,
      schema: {
        tags,
        summary:
          'Import a register file (XLSX or CSV, raw bytes, up to 200 MB); dryRun=true only checks and reports. ' +
          'With `Prefer: respond-async` the answer is 202 at once and the import is polled at /api/households/import/{id}',
        querystring: z.strictObject({ dryRun: z.enum(['true', 'false']).default('true') }),
        headers: z.object({ 'x-filename': Text.max(300).optional(), prefer: Text.max(200).optional() }),
        response: { 200: ImportReport, 202: ImportProgress },
      },
    },
    async (req, reply) => {
      // Only the file types above arrive as a stream; JSON or a form is not a file.
      const body = req.body as NodeJS.ReadableStream | undefined;
      if (typeof body?.pipe !== 'function' || req.headers['content-length'] === '0')
        throw InvalidField('file', 'import.noFile');
      if (Number(req.headers['content-length'] ?? 0) > IMPORT_LIMIT_BYTES)
        throw InvalidField('file', 'upload.fileTooLarge', { mb: IMPORT_LIMIT_BYTES / 1024 / 1024 });
      const fileName = decodeFileName(req.headers['x-filename']);
      const saved = await saveUpload(body, config.dataDir, IMPORT_LIMIT_BYTES);
      if (saved.size === 0) {
        await removeUpload(saved.path);
        throw InvalidField('file', 'import.noFile');
      }
      const dryRun = req.query.dryRun === 'true';
      const upload = { ...saved, fileName };
      const importId = await startRegisterImport(db, upload, dryRun);
      const run = runRegisterImport(database, protector, importId, upload, dryRun);
      if (!/\brespond-async\b/i.test(req.headers.prefer ?? '')) return reply.send(await run);
      // The page asked not to wait: the import goes on in the background and the page polls it.
      run.catch((err: unknown) =>
        req.log.warn({ err: { message: (err as Error).message }, importId }, 'import failed'),
      );
      return reply.status(202).send(await getImportProgress(db, importId));
    },
  );
  r.get(
    '/api/households/import/:id',
    {
      config: importers,
      schema: {
        tags,
        summary: 'How far a register import got, and its report once done',
        params: IdParams,
        response: { 200: ImportProgress },
      },
    },
    (req) => getImportProgress(db, req.params.id),
  );
  r.get(
    '/api/households/import/:id/errors.csv',
    { config: importers, schema: { tags, summary: 'The row errors of an import as CSV', params: IdParams } },
    async (req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment('导入错误报告.csv'))
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
        response: { 201: z.object({ id: Text }) },
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
