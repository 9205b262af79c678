// The insurance module's API for other modules (collision, demo) and its routes.
export { createScheme, findSchemeOfYear, findSchemeOn, listSchemes, seedDemoSchemes } from './scheme';
export { getRoster, getRosterChanges, insuredOn, rosterChangesXlsx, rosterXlsx } from './roster';
export { getBill } from './bills';
export {
  actOnClaim,
  createClaim,
  type StepBodies,
  getClaim,
  listClaims,
  openClaim,
  CLAIM_DEADLINE_WORKING_DAYS,
} from './claims';
export { findInsured } from './insured';
export { citizenClaimProgress, listCitizenClaimReports, reportClaimFromCitizen } from './citizen-reports';
export { openClaimsFromSignals } from './from-signals';
export { getInsuranceStats } from './stats';
export { CLAIM_DOCUMENT_MAX_BYTES, getClaimDocument, sniffDocument } from './documents';

// ---- 全市一张图 (dashboard)
export { claimFigures, claimTodoCounts, claimTrace, writeClaimFigures } from './figures';
export { completeCondolenceTask, issueCondolenceTask, listCondolenceTasks } from './condolence';
export { escalateOverdueClaims } from './escalate';
