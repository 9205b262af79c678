export * from './roles';
export * from './errors';
export * from './common';
export * from './auth';
export * from './users';
export * from './regions';
export * from './audit';
export * from './calendar';
export * from './registry';
export * from './exchange';
export * from './collision';
export * from './leads';
export * from './policy';
export * from './cases';
export * from './citizen';
export * from './enrolments';
export * from './insurance';
export * from './insurance-claims';
export * from './payroll';
// ---- phone side (issue 17)
export * from './referrals';
export * from './care';
export * from './dashboard';
// Scheduled reviews (issue 9)
export * from './reviews';
export * from './province';
