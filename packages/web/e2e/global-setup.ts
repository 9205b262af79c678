// @ts-expect-error: a plain ESM script shared with `npm start`
import { ensureWebBuilt } from '../../../scripts/web-build.mjs';

/** Builds the web app once before the browser test files start (they run in parallel, each serving it). */
export default function setup(): void {
  ensureWebBuilt();
}
