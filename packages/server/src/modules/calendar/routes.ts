import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AddWorkingDaysQuery,
  AddWorkingDaysResult,
  CalendarMonth,
  CalendarMonthQuery,
  CalendarOverrideList,
  CalendarOverrideQuery,
  IsoDate,
  PutCalendarOverrideBody,
} from '@jiuzhu/shared';
import { addWorkingDays, calendarMonth, deleteOverride, listOverrides, putOverride } from './service';

const DateParams = z.strictObject({ date: IsoDate });

export default async function calendarRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config: appConfig } = app.deps;
  const staff = { access: 'staff' as const };
  const admin = { access: ['city_admin'] as const };
  const tags = ['calendar'];

  r.get(
    '/api/calendar/month',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Every day of a month with its kind',
        querystring: CalendarMonthQuery,
        response: { 200: CalendarMonth },
      },
    },
    (req) => calendarMonth(db, req.query.month),
  );
  r.get(
    '/api/calendar/add-working-days',
    {
      config: staff,
      schema: {
        tags,
        summary: 'The n-th working day after a date',
        querystring: AddWorkingDaysQuery,
        response: { 200: AddWorkingDaysResult },
      },
    },
    async (req) => ({
      from: req.query.from,
      days: req.query.days,
      date: await addWorkingDays(db, req.query.from, req.query.days),
    }),
  );
  r.get(
    '/api/calendar/overrides',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Admin overrides of one year',
        querystring: CalendarOverrideQuery,
        response: { 200: CalendarOverrideList },
      },
    },
    async (req) => ({
      items: await listOverrides(db, req.query.year),
    }),
  );
  r.put(
    '/api/calendar/overrides/:date',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Set a date as working day or rest day',
        params: DateParams,
        body: PutCalendarOverrideBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await putOverride(
        db,
        appConfig.city,
        req.ctx.actor!.username,
        req.params.date,
        req.body.isWorkingDay,
        req.body.note,
      );
      return reply.status(204).send(null);
    },
  );
  r.delete(
    '/api/calendar/overrides/:date',
    { config: admin, schema: { tags, summary: 'Remove an override', params: DateParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await deleteOverride(db, appConfig.city, req.params.date);
      return reply.status(204).send(null);
    },
  );
}
