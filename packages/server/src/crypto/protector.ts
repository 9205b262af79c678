import type { Config } from '../config';
import { idHash } from './blind-index';
import { FieldCipher } from './cipher';

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
  | 'case_action.data';

/** Encryption of personal data at rest and the ID blind index, with the process's keys. */
export class Protector {
  readonly cipher: FieldCipher;
  private readonly indexKey: Buffer;

  constructor(config: Pick<Config, 'dataKeyring' | 'dataCipher' | 'indexKey'>) {
    this.cipher = new FieldCipher(config.dataKeyring, config.dataCipher);
    this.indexKey = config.indexKey;
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
    return idHash(normalisedIdNumber, this.indexKey);
  }
}
