// Worker-thread entry of the feed import (see pool.ts): loads the TypeScript through tsx, as
// bin/jiuzhu.mjs does, since there is no build step.
import { register } from 'tsx/esm/api';

register();
const { prepareSegment } = await import('./prepare.ts');
export default prepareSegment;
