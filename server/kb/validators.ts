/**
 * The validators, beyond the loader's own checks, that both the service (server/app.ts) and
 * `npm run kb:validate` run. This is the one place to add one.
 *
 * ┌──────────────────────────────────────────────────────────────────────────────────────────┐
 * │ EXTRA KB VALIDATORS — add capability validators here, e.g.                               │
 * │   import { validateGuides } from '../guides/index.ts';   (guides: reachability, coverage) │
 * └──────────────────────────────────────────────────────────────────────────────────────────┘
 */
import { validateTranslationFigures } from '../assistant/translation-figures.ts';
import { validateGuides } from '../guides/index.ts';
import type { KbValidator } from './load.ts';

export const kbValidators: readonly KbValidator[] = [
  validateGuides,
  validateTranslationFigures,
];
