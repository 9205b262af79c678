import path from 'node:path';
import readline from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import pino from 'pino';
import { chinaToday, ROLES, type Role } from '@jiuzhu/shared';
import { openAndPrepare } from '../boot';
import { ConfigError, loadConfig, type Config } from '../config';
import type { Database } from '../db/database';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/database';
import { runAsSystem, type Actor } from '../context';
import { AppError, describeError } from '../errors';
import { recordAudit, verifyAudit } from '../modules/audit/service';
import { Protector } from '../crypto/index';
import { rotateKeys } from '../modules/registry/keys';
import { provincePlan, seedProvince, seedRegistry, seedTarget } from '../demo/registry';
import { seedEnrolments } from '../demo/enrolments';
import { formatSummary, generateCity, writeFeeds } from '../synthetic/index';
import { loadCityDivisions } from '../modules/regions/divisions';
import { benchRegistry } from './bench/registry';
import { benchRegistrySearchExisting } from './bench/existing';
import { benchIngest } from './bench/ingest';
import { benchCollision } from './bench/collision';
import { benchDashboard, type DashboardSize } from './bench/dashboard';
import { benchPayroll } from './bench/payroll';
import { refreshAllFigures } from '../modules/dashboard/service';
import { benchApi } from './bench/api';
import { collideBatch, feedImport, feedKinds } from '../modules/exchange/ingest/cli';
import { seedDemoAccounts } from '../modules/users/seed';
import { seedDemoStandards } from '../modules/policy/service';
import { fillProvinceOutbox, sendProvinceOutbox, startProvinceStub, type StubMode } from '../modules/province/service';
import { createUser, listUsers, resetPassword, unlockUser } from '../modules/users/service';

const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));

function config(): Config {
  return loadConfig();
}

/** Opens the configured database; `prepare` also migrates, loads regions and seeds demo accounts as at boot. */
async function withDatabase<T>(fn: (db: Database, cfg: Config) => Promise<T>, prepare = true): Promise<T> {
  const cfg = config();
  // The CLI never seeds demo households on its own: `jiuzhu seed` does that explicitly.
  const database = prepare
    ? await openAndPrepare(cfg, log, { seedDemoRegistry: false })
    : await openDatabase({
        databaseUrl: cfg.databaseUrl,
        pgliteDir: path.join(cfg.dataDir, 'pglite'),
        ...(cfg.dbSchema ? { schema: cfg.dbSchema } : {}),
      });
  try {
    return await fn(database, cfg);
  } finally {
    await database.close();
  }
}

/** The CLI acts with the system scope, as a city-level administrator of the configured city. */
function systemActor(cfg: Config): Actor {
  return { id: 'cli', username: 'cli', role: 'city_admin', regionCode: cfg.city };
}

function progressBar(label: string) {
  if (!process.stderr.isTTY) return null;
  return new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
}

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    // Piped: the first line of standard input (keeps the password out of argv and shell history).
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line.trim();
    }
    throw new Error('no password on standard input');
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let asked = false;
  muted._writeToOutput = (s: string) => {
    if (!asked) muted.output.write(s);
  };
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    asked = true;
  });
}

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${ROLES.join(', ')}`);
  return value as Role;
}

const program = new Command('jiuzhu').description('Jiuzhu (救助) command line').showHelpAfterError();

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() =>
    withDatabase(async (database) => {
      const res = await migrate(database, (m) => console.error(`applying ${m.version}_${m.name}`));
      console.log(
        res.applied.length
          ? `applied ${res.applied.join(', ')}; now at ${res.current}`
          : `up to date at ${res.current}`,
      );
    }, false),
  );

program
  .command('seed')
  .description(
    'load a synthetic city (households on the real division tree) and, into an empty database, the demo accounts',
  )
  .option(
    '--size <size>',
    'demo (seconds) | city (the reference city: ~58,000 recipients, ~150,000 people) | province',
    'demo',
  )
  .option('--seed <n>', 'random seed: the same seed gives the same city', '1')
  .option(
    '--scale <n>',
    'province only: a multiple of the province size (≈1,000,000 people across the cities of the province of JIUZHU_CITY)',
    '1',
  )
  .option('--feeds <dir>', 'also write department feed files with planted events, decoys and ground-truth.json')
  .action((opts: { size: string; seed: string; scale: string; feeds?: string }) =>
    withDatabase(async (database, cfg) => {
      if (!['demo', 'city', 'province'].includes(opts.size))
        throw new InvalidArgumentError('--size is demo, city or province');
      if (cfg.env === 'production') throw new ConfigError('refusing to seed synthetic data in production');
      const size = opts.size as 'demo' | 'city' | 'province';
      if (size === 'province' && opts.feeds) throw new InvalidArgumentError('--feeds is for demo and city sizes');
      const created = await seedDemoAccounts(database.db, cfg.city);
      if (created) console.log('demo accounts created (password jiuzhu-demo)');
      const started = Date.now();
      let res: Awaited<ReturnType<typeof seedRegistry>>;
      if (size === 'province') {
        // Every city of the province, each through the city seed's insert path (resumable).
        const province = cfg.city.slice(0, 2);
        const plan = await provincePlan(province, Number(opts.scale));
        const bar = progressBar('people');
        bar?.start(
          plan.reduce((n, c) => n + c.people, 0),
          0,
        );
        let lastCity = '';
        const seeded = await runAsSystem('cli seed province', log, () =>
          seedProvince(
            database.db,
            new Protector(cfg),
            { province, seed: Number(opts.seed), scale: Number(opts.scale) },
            (n, city) => {
              bar?.update(n);
              if (!bar && city !== lastCity) {
                lastCity = city;
                console.error(
                  `${new Date().toISOString()} city ${city}: first batch done (${n} people generated so far)`,
                );
              }
            },
          ),
        );
        bar?.stop();
        for (const c of plan) await seedDemoStandards(database.db, c.city);
        for (const c of seeded.cities)
          console.log(`${c.city} ${c.name}: ${c.people} people generated, ${c.inserted} households stored now`);
        const divisions = (await Promise.all(plan.map((c) => loadCityDivisions(c.city)))).flat();
        console.log(formatSummary(seeded.summary, divisions));
        res = seeded;
      } else {
        const bar = progressBar('people');
        bar?.start(seedTarget(size), 0);
        res = await runAsSystem('cli seed', log, () =>
          seedRegistry(database.db, new Protector(cfg), { city: cfg.city, size, seed: Number(opts.seed) }, (n) =>
            bar?.update(n),
          ),
        );
        bar?.stop();
        console.log(formatSummary(res.summary, await loadCityDivisions(cfg.city)));
      }
      console.log(
        `${res.inserted} households stored, ${res.skipped} already present, ${res.conflicts} skipped (a member was registered already), in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      const enrolStarted = Date.now();
      const rolls = await runAsSystem('cli seed enrolments', log, () =>
        seedEnrolments(database.db, { city: cfg.city }),
      );
      console.log(
        `${rolls.enrolled} enrolments created for ${rolls.households} 低保/特困/边缘 households (${rolls.recipients} people on the rolls of 低保/特困) in ${((Date.now() - enrolStarted) / 1000).toFixed(1)} s`,
      );
      if (opts.feeds) {
        // The same city again (deterministic), so the feeds' planted events point at the people just stored.
        const divisions = await loadCityDivisions(cfg.city);
        const feeds = await writeFeeds({
          households: generateCity({
            city: cfg.city,
            divisions,
            size,
            seed: Number(opts.seed),
          }),
          seed: Number(opts.seed),
          outDir: opts.feeds,
        });
        for (const f of feeds.files) console.log(`${f.file}: ${f.rows} rows`);
        console.log(`feeds and ground-truth.json written to ${feeds.outDir}`);
        if (res.conflicts > 0)
          console.log('note: some households were skipped, so parts of the ground truth do not apply to this database');
      }
    }),
  );

const users = program.command('users').description('manage staff accounts');

users
  .command('list')
  .option('--region <code>', 'only this region and below')
  .option('--role <role>', 'only this role', parseRole)
  .action((opts: { region?: string; role?: Role }) =>
    withDatabase((database) =>
      runAsSystem('cli users list', log, async () => {
        const res = await listUsers(database.db, {
          page: 1,
          order: 'asc',
          pageSize: 200,
          ...(opts.region ? { regionCode: opts.region } : {}),
          ...(opts.role ? { role: opts.role } : {}),
        });
        for (const u of res.items)
          console.log(
            [
              u.username,
              u.role,
              u.regionCode,
              u.regionName,
              u.active ? 'active' : 'disabled',
              u.lockedUntil ? `locked until ${u.lockedUntil}` : '',
            ].join('\t'),
          );
        if (res.total > res.items.length) console.log(`… ${res.total - res.items.length} more`);
      }),
    ),
  );

users
  .command('create')
  .description('create an account; the password is read from standard input or asked for')
  .requiredOption('--username <username>')
  .requiredOption('--name <displayName>')
  .requiredOption('--role <role>', ROLES.join('|'), parseRole)
  .requiredOption('--region <code>')
  .action((opts: { username: string; name: string; role: Role; region: string }) =>
    withDatabase(async (database, cfg) => {
      const password = await readPassword('password: ');
      await runAsSystem('cli users create', log, async () => {
        const u = await createUser(database.db, systemActor(cfg), {
          username: opts.username,
          displayName: opts.name,
          role: opts.role,
          regionCode: opts.region,
          password,
        });
        console.log(`created ${u.username} (${u.role}, ${u.regionName})`);
      });
    }),
  );

async function byUsername(database: Database, username: string) {
  const row = await database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (!row) throw new InvalidArgumentError(`no user ${username}`);
  return row.id;
}

users
  .command('reset-password <username>')
  .description('set a new password (read from standard input or asked for); the user must change it at next login')
  .action((username: string) =>
    withDatabase(async (database, cfg) => {
      const id = await byUsername(database, username);
      const password = await readPassword('new password: ');
      await runAsSystem('cli users reset-password', log, () =>
        resetPassword(database.db, systemActor(cfg), id, password),
      );
      console.log(`password of ${username} reset`);
    }),
  );

users.command('unlock <username>').action((username: string) =>
  withDatabase(async (database, cfg) => {
    const id = await byUsername(database, username);
    await runAsSystem('cli users unlock', log, () => unlockUser(database.db, systemActor(cfg), id));
    console.log(`${username} unlocked`);
  }),
);

program
  .command('keys')
  .description('encryption keys of personal data')
  .command('rotate')
  .description('re-encrypt every value written under an older key (JIUZHU_DATA_KEYS_OLD) or another cipher')
  .action(() =>
    withDatabase(async (database, cfg) => {
      const protector = new Protector(cfg);
      const bar = progressBar('re-encrypting');
      const n = await rotateKeys(database.db, protector, (done, total) => {
        if (!bar) return;
        if (done === 0) bar.start(total, 0);
        else bar.update(done);
      });
      bar?.stop();
      await database.db.transaction().execute((trx) =>
        recordAudit(trx, {
          action: 'keys.rotate',
          entity: 'keyring',
          entityId: String(cfg.dataKeyring.current),
          regionCode: cfg.city,
          detail: { values: n, cipher: cfg.dataCipher },
        }),
      );
      console.log(`${n} values re-encrypted under key v${cfg.dataKeyring.current} (${cfg.dataCipher})`);
    }),
  );

program
  .command('bench')
  .description('benchmarks; each prints one JSON line with its figures last')
  .command('registry')
  .description('register import (rows/s against a bare COPY of the same file) and search latency')
  .option('--size <size>', 'demo | city | province', 'city')
  .option('--seed <n>', 'generator seed', '1')
  .option('--searches <n>', 'number of timed searches', '300')
  .option(
    '--existing <schema>',
    'only the search part, on this PostgreSQL schema seeded beforehand (jiuzhu seed --size province); not dropped',
  )
  .action(async (opts: { size: string; seed: string; searches: string; existing?: string }) => {
    if (opts.existing !== undefined) {
      const found = await benchRegistrySearchExisting(
        config(),
        { schema: opts.existing, searches: Number(opts.searches) },
        (m) => console.error(m),
      );
      console.log(JSON.stringify(found));
      return;
    }
    const result = await benchRegistry(
      config(),
      { size: opts.size as 'demo' | 'city' | 'province', seed: Number(opts.seed), searches: Number(opts.searches) },
      (m) => console.error(m),
    );
    console.log(JSON.stringify(result));
  });

program.commands
  .find((c) => c.name() === 'bench')!
  .command('ingest')
  .description('feed import (rows/s against a bare COPY of the same file) and peak memory at N and 2N rows')
  .option('--rows <n>', 'rows of the first run (the second has twice as many)', '1000000')
  .action(async (opts: { rows: string }) => {
    const result = await benchIngest(config(), { rows: Number(opts.rows) }, (m) => console.error(m));
    console.log(JSON.stringify(result));
  });

program.commands
  .find((c) => c.name() === 'bench')!
  .command('collision')
  .description('a full collision run over N feed records and the city registry, against a bare join count')
  .option('--rows <n>', 'feed records', '1000000')
  .option('--size <size>', 'registry size: demo | city', 'city')
  .option('--seed <n>', 'generator seed', '1')
  .option('--match-share <x>', 'share of records on registry people', '0.15')
  .option('--batch-rows <n>', 'then a run over one new batch of N records (0: none)', '10000')
  .action(async (opts: { rows: string; size: string; seed: string; matchShare: string; batchRows: string }) => {
    const result = await benchCollision(
      config(),
      {
        rows: Number(opts.rows),
        size: opts.size as 'demo' | 'city',
        seed: Number(opts.seed),
        matchShare: Number(opts.matchShare),
        batchRows: Number(opts.batchRows),
      },
      (m) => console.error(m),
    );
    console.log(JSON.stringify(result));
  });

program.commands
  .find((c) => c.name() === 'bench')!
  .command('dashboard')
  .description('the figures API (一张图) p50/p95 on a seeded database, against the same queries run bare')
  .option('--size <size>', 'demo | city | province', 'city')
  .option('--requests <n>', 'timed requests', '60')
  .action(async (opts: { size: string; requests: string }) => {
    const result = await benchDashboard(
      config(),
      { size: opts.size as DashboardSize, requests: Number(opts.requests) },
      (m) => console.error(m),
    );
    console.log(JSON.stringify(result));
  });

program.commands
  .find((c) => c.name() === 'bench')!
  .command('payroll')
  .description('the payroll of the whole city for a month, against a bare INSERT … SELECT of the same lines')
  .option('--size <size>', 'demo | city', 'city')
  .option('--seed <n>', 'generator seed', '1')
  .action(async (opts: { size: string; seed: string }) => {
    const result = await benchPayroll(config(), { size: opts.size as 'demo' | 'city', seed: Number(opts.seed) }, (m) =>
      console.error(m),
    );
    console.log(JSON.stringify(result));
  });

program.commands
  .find((c) => c.name() === 'bench')!
  .command('api')
  .description(
    'the API under load (autocannon) on the city database: search, lists, dashboard; against the same SQL run bare',
  )
  .option('--size <size>', 'demo | city', 'city')
  .option('--seed <n>', 'generator seed', '1')
  .option('--seconds <n>', 'seconds of load per endpoint (and again for its baseline)', '30')
  .option('--rounds <n>', 'the seconds split into rounds, ours then bare in turn', '3')
  .option('--connections <n>', 'concurrent connections (and bare clients)', '50')
  .option('--cases <n>', 'applications added on household heads', '10000')
  .option('--leads <n>', 'leads added on other registry people', '5000')
  .option('--plans', "print each endpoint's slowest statements with EXPLAIN ANALYZE before the load")
  .option(
    '--only <names>',
    'comma-separated endpoints to load (householdName, householdIdNumber, caseList, leadList, dashboardFigures)',
  )
  .option(
    '--beside-import <rows>',
    'then load the application list while a department feed of this many rows is imported in the server process',
    '0',
  )
  .option(
    '--existing <schema>',
    'run on this PostgreSQL schema seeded beforehand (jiuzhu seed --size province) instead of seeding; not dropped',
  )
  .action(
    async (opts: {
      size: string;
      seed: string;
      seconds: string;
      rounds: string;
      connections: string;
      cases: string;
      leads: string;
      plans?: boolean;
      only?: string;
      besideImport: string;
      existing?: string;
    }) => {
      const result = await benchApi(
        config(),
        {
          size: opts.size as 'demo' | 'city',
          seed: Number(opts.seed),
          seconds: Number(opts.seconds),
          rounds: Math.max(1, Math.round(Number(opts.rounds))),
          connections: Number(opts.connections),
          cases: Number(opts.cases),
          leads: Number(opts.leads),
          plans: Boolean(opts.plans),
          only: opts.only?.split(',').filter(Boolean) ?? [],
          besideImport: Number(opts.besideImport),
          ...(opts.existing !== undefined ? { existingSchema: opts.existing } : {}),
        },
        (m) => console.error(m),
      );
      console.log(JSON.stringify(result));
    },
  );

const feed = program.command('feed').description('department data exchange feeds');

feed
  .command('import <source> <file>')
  .description('import a department feed file (prints the batch result as JSON; exits 1 when the file is refused)')
  .option('--kind <kind>', "record kind (default: from the file name <kind>.<ext>, or the source's only kind)")
  .option('--encoding <encoding>', 'auto | utf-8 | gbk', 'auto')
  .option('--as-of <date>', 'reference date YYYY-MM-DD for "in the future" checks (default today)')
  .option('--no-collision', 'do not start a collision run for the loaded batch')
  .action(
    (source: string, file: string, opts: { kind?: string; encoding?: string; asOf?: string; collision: boolean }) =>
      withDatabase(async (database, cfg) => {
        const result = await feedImport(database, cfg, log, source, file, opts);
        // A loaded batch is matched against the rules: queued for the server (pg-boss) or run here.
        const collision =
          result.status === 'loaded' && !result.alreadyLoaded && opts.collision
            ? await collideBatch(database, cfg, log, result.batchId)
            : undefined;
        console.log(JSON.stringify(collision ? { ...result, collision } : result));
        if (result.status === 'failed') process.exitCode = 1;
      }),
  );

feed
  .command('kinds')
  .description('list the record kinds (code, format, record type, source and name)')
  .action(() =>
    withDatabase(async (database) => {
      for (const line of await feedKinds(database)) console.log(line);
    }),
  );

program
  .command('audit')
  .description('audit trail')
  .command('verify')
  .description('walk the hash chain; exits 1 naming the first broken row')
  .action(() =>
    withDatabase(async (database) => {
      const bar = progressBar('verifying');
      let started = false;
      const res = await verifyAudit(database.db, (checked, total) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(checked);
      });
      bar?.stop();
      if (res.ok) {
        console.log(`audit chain intact: ${res.checked} rows verified`);
      } else {
        console.error(
          `audit chain BROKEN at row seq=${res.brokenAt}: ${res.reason} (${res.checked} rows before it verified)`,
        );
        process.exitCode = 1;
      }
    }, false),
  );

// ---- 省平台上传 (docs/PROVINCE.md)
program
  .command('province-stub')
  .description(
    'a receiver of the provincial upload protocol (signature check, per-record receipts) for tests and the demo',
  )
  .option('--port <n>', 'port to listen on', '8090')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--secret <secret>', 'shared secret (default: JIUZHU_PROVINCE_SECRET)')
  .option('--mode <mode>', 'ok | fail (answers 500) | hang (never answers)', 'ok')
  .action(async (opts: { port: string; host: string; secret?: string; mode: string }) => {
    const secret = opts.secret ?? process.env.JIUZHU_PROVINCE_SECRET;
    if (!secret) throw new InvalidArgumentError('--secret or JIUZHU_PROVINCE_SECRET is required');
    if (!['ok', 'fail', 'hang'].includes(opts.mode)) throw new InvalidArgumentError('--mode: ok | fail | hang');
    const stub = await startProvinceStub({
      secret,
      port: Number(opts.port),
      host: opts.host,
      mode: opts.mode as StubMode,
    });
    console.error(`province stub listening on ${stub.url} (mode ${stub.mode})`);
    process.on('SIGINT', () => void stub.close().then(() => process.exit(0)));
  });

program
  .command('province-upload')
  .description('fills the province outbox and sends what is due now (as the nightly job does)')
  .action(() =>
    withDatabase(async (database, cfg) => {
      const protector = new Protector(cfg);
      const added = await runAsSystem('province outbox', log, () => fillProvinceOutbox({ db: database.db, protector }));
      const sent = await runAsSystem('province upload', log, () =>
        sendProvinceOutbox({ db: database.db, protector, province: cfg.province }),
      );
      console.log(JSON.stringify({ added, sent }));
    }),
  );

// ---- 全市一张图 (docs/DASHBOARD.md)
program
  .command('figures-refresh')
  .description('recounts every pre-aggregated dashboard figure as of today (as the nightly job does)')
  .action(() =>
    withDatabase(async (database) => {
      const started = Date.now();
      const today = chinaToday();
      await runAsSystem('cli figures refresh', log, () => refreshAllFigures(database.db, today));
      console.log(JSON.stringify({ asOf: today, seconds: +((Date.now() - started) / 1000).toFixed(1) }));
    }),
  );

program.parseAsync().catch((err: unknown) => {
  if (err instanceof AppError) {
    const e = describeError(err, 'zh-CN');
    console.error([`error: ${e.message}`, ...(e.fields ?? []).map((f) => `  ${f.path}: ${f.message}`)].join('\n'));
  } else if (err instanceof ConfigError || err instanceof InvalidArgumentError) {
    console.error(`error: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exitCode = 2;
});
