export * from './roles';
export * from './errors';
export * from './common';
export * from './auth';
export * from './users';
export * from './regions';
export * from './audit';
export * from './calendar';
