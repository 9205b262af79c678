export * from './schemas/index';
export * from './calendar/index';
