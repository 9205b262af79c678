export * from './schemas/index';
export * from './calendar/index';
export * from './idcard/index';
export * from './money';
export * from './policy/index';
