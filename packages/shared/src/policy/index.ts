export * from './math';
export * from './demo';
