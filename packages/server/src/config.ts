import { z } from 'zod';
import path from 'node:path';
import { KeyringError, parseKeyring, type CipherAlgorithm, type Keyring } from './crypto/index';
import { SMS_TEMPLATES, type SmsTemplate } from './sms/sms-types';
import type { SmsGatewayConfig } from './sms/sms-gateway';

const DEV_DATA_KEY = Buffer.alloc(32, 'jiuzhu-development-data-key-0001').toString('base64');
const DEV_INDEX_KEY = Buffer.alloc(32, 'jiuzhu-development-index-key-001').toString('base64');

const Key32 = z
  .string()
  .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATABASE_URL: z.string().url().optional(),
  JIUZHU_DATA_DIR: z.string().default('./data'),
  /** PostgreSQL schema to work in (default: the role's search_path, normally public). */
  JIUZHU_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase SQL identifier')
    .optional(),
  JIUZHU_CITY: z
    .string()
    .regex(/^\d{4}$/, 'a 4-digit city division code, e.g. 3503')
    .default('3503'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The current key for personal data at rest (AES-256-GCM or SM4, per JIUZHU_DATA_CIPHER). */
  JIUZHU_DATA_KEY: Key32.optional(),
  JIUZHU_DATA_KEY_VERSION: z.coerce.number().int().min(1).max(999_999).default(1),
  /** Earlier keys still needed to read rows not yet rotated: "1:<base64>,2:<base64>". */
  JIUZHU_DATA_KEYS_OLD: z.string().optional(),
  JIUZHU_DATA_CIPHER: z.enum(['aes-256-gcm', 'sm4']).default('aes-256-gcm'),
  /** HMAC key of the ID-number blind index. */
  JIUZHU_INDEX_KEY: Key32.optional(),
  JIUZHU_SESSION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  JIUZHU_LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  JIUZHU_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  JIUZHU_WEB_DIST: z.string().optional(),
  /** Background jobs on pg-boss (`on`), or run in-process right after they are sent (`off`; default in tests). */
  JIUZHU_JOBS: z.enum(['on', 'off']).optional(),
  /** Working days a grid worker has to visit a lead before it escalates to the township. */
  JIUZHU_LEAD_DUE_DAYS: z.coerce.number().int().min(1).max(60).default(10),
  /** Citizens' text messages: `log` writes them to the log (default outside production), `off` sends none, `http` a gateway. */
  JIUZHU_SMS: z.enum(['log', 'off', 'http']).optional(),
  /** The SMS gateway (JIUZHU_SMS=http): base URL, key id and secret for signing, sign name and templates. */
  JIUZHU_SMS_URL: z.string().url().optional(),
  JIUZHU_SMS_KEY_ID: z.string().min(1).optional(),
  JIUZHU_SMS_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  JIUZHU_SMS_SIGN_NAME: z.string().min(1).optional(),
  /** Template codes per message kind: `progressCode=SMS_001,phoneCode=SMS_002`. */
  JIUZHU_SMS_TEMPLATES: z.string().optional(),
  JIUZHU_SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  JIUZHU_SMS_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Requests per minute and client address to each public (no-login) write: applications, progress codes. */
  JIUZHU_PUBLIC_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  /** Requests per minute and client address to the public notice board. */
  JIUZHU_PUBLIC_READ_RATE_LIMIT: z.coerce.number().int().positive().default(120),
  /** Proxies whose X-Forwarded-For is believed (client addresses drive rate limits and the audit trail). */
  JIUZHU_TRUST_PROXY: z.string().trim().min(1).default('loopback'),
  /** OpenAPI document and Swagger UI at /api/openapi.json and /api/docs (default: off in production). */
  JIUZHU_API_DOCS: z.enum(['on', 'off']).optional(),
  /** The provincial platform's receiving URL (docs/PROVINCE.md); unset: nothing is sent. */
  JIUZHU_PROVINCE_URL: z.string().url().optional(),
  /** The shared secret of the HMAC-SHA256 signature over each batch body. */
  JIUZHU_PROVINCE_SECRET: z.string().min(16).optional(),
  JIUZHU_PROVINCE_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  JIUZHU_PROVINCE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dbSchema: string | undefined;
  dataDir: string;
  city: string;
  logLevel: string;
  dataKeyring: Keyring;
  dataCipher: CipherAlgorithm;
  indexKey: Buffer;
  sessionHours: number;
  loginRateLimit: number;
  cookieSecure: boolean;
  webDist: string | undefined;
  /** pg-boss queue on (else jobs run in-process). */
  jobs: boolean;
  leadDueDays: number;
  /** SMS adapter (modules/cases/sms.ts). */
  sms: 'log' | 'off' | 'http';
  /** The gateway's settings when sms = 'http'. */
  smsGateway: SmsGatewayConfig | undefined;
  publicRateLimit: number;
  publicReadRateLimit: number;
  /** proxy-addr list: `loopback` (a reverse proxy on this host), addresses or CIDR ranges, comma-separated. */
  trustProxy: string;
  /** Serve the OpenAPI document and Swagger UI. */
  apiDocs: boolean;
  /** Secrets that fell back to development defaults (refused in production). */
  defaultedSecrets: string[];
  /** The provincial platform upload (modules/province); url undefined: the sender does nothing. */
  province: ProvinceConfig;
};

export type ProvinceConfig = {
  url: string | undefined;
  secret: string | undefined;
  batchSize: number;
  timeoutMs: number;
  /** First retry delay; doubles per attempt (capped at a day). */
  backoffBaseMs: number;
};

export class ConfigError extends Error {}

/** The gateway settings, all required once JIUZHU_SMS=http (a half-configured gateway fails at boot, not at the first code). */
function smsGatewayConfig(e: z.infer<typeof EnvSchema>): SmsGatewayConfig {
  const missing = (
    [
      'JIUZHU_SMS_URL',
      'JIUZHU_SMS_KEY_ID',
      'JIUZHU_SMS_SECRET',
      'JIUZHU_SMS_SIGN_NAME',
      'JIUZHU_SMS_TEMPLATES',
    ] as const
  ).filter((k) => !e[k]);
  if (missing.length > 0) throw new ConfigError(`JIUZHU_SMS=http needs ${missing.join(', ')}`);
  const templates: Partial<Record<SmsTemplate, string>> = {};
  for (const pair of e.JIUZHU_SMS_TEMPLATES!.split(',')) {
    const [name, code] = pair.split('=').map((s) => s.trim());
    if (!name || !code || !(SMS_TEMPLATES as readonly string[]).includes(name))
      throw new ConfigError(
        `Invalid configuration:\n  JIUZHU_SMS_TEMPLATES: "${pair}" is not <kind>=<code> with kind one of ${SMS_TEMPLATES.join(', ')}`,
      );
    templates[name as SmsTemplate] = code;
  }
  const absent = SMS_TEMPLATES.filter((t) => !templates[t]);
  if (absent.length > 0)
    throw new ConfigError(`Invalid configuration:\n  JIUZHU_SMS_TEMPLATES: no template for ${absent.join(', ')}`);
  return {
    url: e.JIUZHU_SMS_URL!,
    keyId: e.JIUZHU_SMS_KEY_ID!,
    secret: e.JIUZHU_SMS_SECRET!,
    signName: e.JIUZHU_SMS_SIGN_NAME!,
    templates: templates as Record<SmsTemplate, string>,
    timeoutMs: e.JIUZHU_SMS_TIMEOUT_MS,
    retries: e.JIUZHU_SMS_RETRIES,
    retryBaseMs: 200,
  };
}

/** Reads and validates the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const defaultedSecrets: string[] = [];
  if (!e.JIUZHU_DATA_KEY) defaultedSecrets.push('JIUZHU_DATA_KEY');
  if (!e.JIUZHU_INDEX_KEY) defaultedSecrets.push('JIUZHU_INDEX_KEY');
  if (e.NODE_ENV === 'production' && defaultedSecrets.length > 0) {
    throw new ConfigError(
      `Missing secrets in production: ${defaultedSecrets.join(', ')} (each: openssl rand -base64 32)`,
    );
  }
  const dataKey = Buffer.from(e.JIUZHU_DATA_KEY ?? DEV_DATA_KEY, 'base64');
  const indexKey = Buffer.from(e.JIUZHU_INDEX_KEY ?? DEV_INDEX_KEY, 'base64');
  if (dataKey.equals(indexKey)) throw new ConfigError('JIUZHU_INDEX_KEY must differ from JIUZHU_DATA_KEY');
  let dataKeyring: Keyring;
  try {
    dataKeyring = parseKeyring({ dataKey, version: e.JIUZHU_DATA_KEY_VERSION, old: e.JIUZHU_DATA_KEYS_OLD });
  } catch (err) {
    if (err instanceof KeyringError) throw new ConfigError(`Invalid configuration: ${err.message}`);
    throw err;
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dbSchema: e.JIUZHU_DB_SCHEMA,
    dataDir: path.resolve(e.JIUZHU_DATA_DIR),
    city: e.JIUZHU_CITY,
    logLevel: e.LOG_LEVEL,
    dataKeyring,
    dataCipher: e.JIUZHU_DATA_CIPHER,
    indexKey,
    sessionHours: e.JIUZHU_SESSION_HOURS,
    loginRateLimit: e.JIUZHU_LOGIN_RATE_LIMIT,
    cookieSecure: e.JIUZHU_COOKIE_SECURE ? e.JIUZHU_COOKIE_SECURE === 'true' : e.NODE_ENV === 'production',
    webDist: e.JIUZHU_WEB_DIST,
    jobs: e.JIUZHU_JOBS ? e.JIUZHU_JOBS === 'on' : e.NODE_ENV !== 'test',
    leadDueDays: e.JIUZHU_LEAD_DUE_DAYS,
    sms: e.JIUZHU_SMS ?? (e.NODE_ENV === 'production' ? 'off' : 'log'),
    smsGateway: e.JIUZHU_SMS === 'http' ? smsGatewayConfig(e) : undefined,
    publicRateLimit: e.JIUZHU_PUBLIC_RATE_LIMIT,
    publicReadRateLimit: e.JIUZHU_PUBLIC_READ_RATE_LIMIT,
    trustProxy: e.JIUZHU_TRUST_PROXY,
    apiDocs: e.JIUZHU_API_DOCS ? e.JIUZHU_API_DOCS === 'on' : e.NODE_ENV !== 'production',
    defaultedSecrets,
    province: {
      url: e.JIUZHU_PROVINCE_URL,
      secret: e.JIUZHU_PROVINCE_SECRET,
      batchSize: e.JIUZHU_PROVINCE_BATCH_SIZE,
      timeoutMs: e.JIUZHU_PROVINCE_TIMEOUT_MS,
      backoffBaseMs: 60_000,
    },
    ...overrides,
  };
}
