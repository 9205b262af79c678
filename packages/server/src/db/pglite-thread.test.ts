import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteThread } from './pglite-thread';

describe('the embedded database on its own thread', () => {
  let db: PGliteThread;
  beforeAll(async () => {
    db = await PGliteThread.create({});
  });
  afterAll(() => db.close());

  it('answers queries, scripts and COPY, with numbers and dates as the server reads them', async () => {
    await db.exec(`create table t (id int8 primary key, day date, at timestamptz, body bytea);
        insert into t values (1, '2026-02-28', '2026-02-28T08:00:00Z', '\\x0102')`);
    const r = await db.query<{ id: number; day: string; at: Date; body: Uint8Array }>(
      'select * from t where id = $1',
      [1],
    );
    expect(r.rows).toEqual([
      { id: 1, day: '2026-02-28', at: new Date('2026-02-28T08:00:00Z'), body: new Uint8Array([1, 2]) },
    ]);
    await db.query(`copy t (id, day) from '/dev/blob' with (format csv)`, [], {
      blob: new Blob(['2,2026-03-01\n3,2026-03-02\n']),
    });
    const out = await db.query(`copy (select id, day from t order by id) to '/dev/blob' with (format csv)`);
    expect(await out.blob!.text()).toBe('1,2026-02-28\n2,2026-03-01\n3,2026-03-02\n');
    const ins = await db.query('insert into t (id) values (4), (5)');
    expect(ins.affectedRows).toBe(2);
  });

  it("keeps the database's error fields: the code and constraint a caller decides on", async () => {
    await db.exec('create table u (k text constraint u_k_key unique)');
    await db.query(`insert into u values ('a')`);
    const err = await db.query(`insert into u values ('a')`).then(
      () => null,
      (e: unknown) => e as Error & { code?: string; constraint?: string },
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'u_k_key' });
    expect(err!.message).toContain('duplicate key');
    // The connection goes on after an error.
    expect((await db.query<{ n: number }>('select count(*)::int as n from u')).rows).toEqual([{ n: 1 }]);
  });

  it('a long query does not hold the event loop: timers run while it works', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let during = 0;
    const long = db
      .query(`select sum(a * b) from generate_series(1, 1000) a, generate_series(1, 1000) b`)
      .then(() => (during = ticks));
    await long;
    clearInterval(timer);
    // On the server's thread (the old way) a query of this size let no timer run until it ended.
    expect(during).toBeGreaterThan(0);
  });

  it('refuses calls after close, and a data directory that cannot be opened fails create with its reason', async () => {
    const db = await PGliteThread.create({});
    await db.close();
    await expect(db.query('select 1')).rejects.toThrow(/closed/);
    await expect(PGliteThread.create({ loadDataDir: new Blob(['not a data directory image']) })).rejects.toThrow();
  });
});
