export {
  CIPHER_ALGORITHMS,
  FieldCipher,
  FieldCipherError,
  MAX_KEY_VERSION,
  type CipherAlgorithm,
  type FieldCipherErrorCode,
  type Keyring,
} from './cipher';
export { blindIndex, idHash, type BlindIndexDomain } from './blind-index';
export { KeyringError, parseKeyring } from './keyring';
export { maskAddress, maskBankAccount, maskName, maskPhone } from './mask';
export { Protector, type FieldContext, type ProtectorKeys, type WorkerKeys } from './protector';
