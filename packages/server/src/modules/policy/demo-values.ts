/**
 * Demo policy values (labelled "demo" wherever they are shown): the 低保 standard a new database
 * starts with until the city enters its own. The synthetic city draws its incomes around the same
 * figure, so it imports it from here, never the other way round.
 */
export const DEMO_DIBAO_STANDARD_FEN = 90_000;
