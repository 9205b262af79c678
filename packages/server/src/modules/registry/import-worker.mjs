// Worker-thread entry of the register import (see import-pool.ts): loads the TypeScript through
// tsx, as bin/jiuzhu.mjs does, since there is no build step.
import { register } from 'tsx/esm/api';

register();
const { prepareChunk } = await import('./import-prepare.ts');
export default prepareChunk;
