export * from './math';
export * from './demo';
export * from './entitlement';
