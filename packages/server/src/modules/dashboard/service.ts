// What other code (jobs, the CLI) needs of the dashboard module.
export {
  FIGURES_RECOUNT_JOB,
  FULL_AT,
  freshenFigures,
  readAggregates,
  refreshAllFigures,
  type AggregateRow,
} from './aggregates';
export { getFigures, getMap } from './figures';
