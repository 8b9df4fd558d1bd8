/** Where the tests find the repository and what is built from it. */
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
/** The example organisation (`org/`) and workspace (`workspace/`) the quick start shows. */
export const EXAMPLES = join(REPO_ROOT, 'examples');
/** The language server bundle `npm run build` writes. */
export const SERVER_BUNDLE = join(REPO_ROOT, 'dist', 'server.js');
