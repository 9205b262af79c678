import { blindIndex, idHasher, type BlindIndexDomain } from './blind-index';
import { FieldCipher, type CipherAlgorithm, type Keyring } from './cipher';

/**
 * The keys a Protector needs. The validated Config has these fields; crypto does not import the
 * config (the config imports crypto to parse its keys: one direction only).
 */
export type ProtectorKeys = { dataKeyring: Keyring; dataCipher: CipherAlgorithm; indexKey: Buffer };

/** Where an encrypted value lives; bound into the ciphertext so a value copied to another column fails to decrypt. */
export type FieldContext =
  | 'member.id_number'
  | 'member.phone'
  | 'member.bank_account'
  | 'member.disability_cert'
  | 'household.address'
  | 'staff_relative.id_number'
  | 'feed_record.protected'
  | 'feed_source.api_secret'
  | 'lead_visit.notes'
  | 'case.phone'
  | 'case.address'
  | 'case.reason'
  | 'case_member.id_number'
  | 'case_action.data'
  | 'enrolment_change.note'
  // ---- phone side (issue 17)
  | 'referral.request'
  | 'referral_action.outcome'
  | 'care_visit.notes'
  | 'review_action.data'
  | 'condolence.beneficiary'
  | 'province_outbox.payload'
  | 'claim_report.reporter_name'
  | 'claim_report.reporter_phone'
  | 'claim_report.insured_name'
  | 'claim_report.description';

/**
 * What a worker thread needs to encrypt and hash like this process (the current key only:
 * a worker never decrypts). Plain arrays, since a Buffer arrives in a worker as a Uint8Array.
 */
export type WorkerKeys = { current: number; key: Uint8Array; algorithm: CipherAlgorithm; indexKey: Uint8Array };

/** Encryption of personal data at rest and the ID blind index, with the process's keys. */
export class Protector {
  readonly cipher: FieldCipher;
  private readonly indexKey: Buffer;
  readonly #workerKeys: WorkerKeys;
  #idHash: ((normalisedIdNumber: string) => string) | undefined;

  constructor(config: ProtectorKeys) {
    this.cipher = new FieldCipher(config.dataKeyring, config.dataCipher);
    this.indexKey = config.indexKey;
    this.#workerKeys = {
      current: config.dataKeyring.current,
      key: new Uint8Array(config.dataKeyring.keys.get(config.dataKeyring.current)!),
      algorithm: config.dataCipher,
      indexKey: new Uint8Array(config.indexKey),
    };
  }

  /** A Protector in a worker thread that writes what this one writes. */
  static forWorker(k: WorkerKeys): Protector {
    return new Protector({
      dataKeyring: { current: k.current, keys: new Map([[k.current, Buffer.from(k.key)]]) },
      dataCipher: k.algorithm,
      indexKey: Buffer.from(k.indexKey),
    });
  }

  /** The keys to hand a worker thread (see forWorker). */
  workerKeys(): WorkerKeys {
    return this.#workerKeys;
  }

  encrypt(value: string, context: FieldContext): string {
    return this.cipher.encrypt(value, context);
  }

  encryptOptional(value: string | undefined | null, context: FieldContext): string | null {
    return value === undefined || value === null || value === '' ? null : this.cipher.encrypt(value, context);
  }

  decrypt(token: string, context: FieldContext): string {
    return this.cipher.decrypt(token, context);
  }

  /** HMAC blind index of a normalised ID number, for equality lookups and joins. */
  idHash(normalisedIdNumber: string): string {
    this.#idHash ??= idHasher(this.indexKey);
    return this.#idHash(normalisedIdNumber);
  }

  /** HMAC blind index of another kind of value (e.g. a bank account, for "one account, two households"). */
  blindIndex(value: string, domain: BlindIndexDomain): string {
    return blindIndex(value, this.indexKey, domain);
  }
}
