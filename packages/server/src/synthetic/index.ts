export {
  CITY_TARGETS,
  DEMO_DIBAO_STANDARD_FEN,
  DEMO_TARGETS,
  GENERATOR_AS_OF,
  INCOME_BANDS,
  PROVINCE_SCALE,
  STATUSES,
  generateAll,
  generateCity,
  newAllocators,
  targetsFor,
  type Allocators,
  type CitySize,
  type GenerateCityOptions,
  type GeneratedHousehold,
  type StatusTargets,
} from './city';
export {
  addToSummary,
  emptySummary,
  formatSummary,
  summarize,
  type CitySummary,
  type Count,
  type CountyCount,
} from './summary';
export { Random } from './random';
export { writeFeeds, type WriteFeedsOptions, type WriteFeedsResult } from './feeds/index';
