import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

/** The password of the demo accounts; refused as a new password and in production. */
export const DEMO_PASSWORD = 'jiuzhu-demo';

// 2 = Algorithm.Argon2id (a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the username does not exist, so timing does not tell which part was wrong.
let dummyHash: Promise<string> | null = null;
export async function burnVerify(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-0000');
  await verifyPassword(await dummyHash, password);
}

/** Lowest zxcvbn score (0–4) a new password must reach: 3 = "safely unguessable" against offline slow-hash attacks. */
export const MIN_PASSWORD_SCORE = 3;

// Built once, on first use: the common-password dictionaries plus the product's own words.
let estimator: ZxcvbnFactory | null = null;

/**
 * How guessable a new password is (zxcvbn score 0–4), counting the account's own words (username,
 * display name) and the product's names as known to an attacker.
 */
export function passwordScore(password: string, userInputs: string[]): number {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, product: ['jiuzhu', 'putian', 'jiuzhu-demo', 'minzheng'] },
    graphs: common.adjacencyGraphs,
  });
  return estimator.check(
    password,
    userInputs.filter((w) => w.length > 0),
  ).score;
}
