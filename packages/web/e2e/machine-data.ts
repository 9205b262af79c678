import { expect } from 'vitest';
import type { Page } from 'playwright-core';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
// A field key as code writes it: snake_case or camelCase (`id_number`, `self_paid_fen`, `leadId`).
const FIELD_KEY = /\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/;

/**
 * Asserts that what a person reads on the page (its rendered text, not its markup) holds no
 * raw id and no English field key.
 */
export async function expectNoMachineData(page: Page, testId: string): Promise<string> {
  const text = await page.getByTestId(testId).innerText();
  expect(text.match(UUID)?.[0] ?? null, `raw id on ${testId}`).toBeNull();
  expect(text.match(FIELD_KEY)?.[0] ?? null, `field key on ${testId}`).toBeNull();
  return text;
}
