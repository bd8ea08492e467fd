import { fileValueParts } from './file-value.js';
import type { SpecKind } from './spec-kind.js';

/** Secret: a file value mounted read-only into containers (see file-value.ts). */
export const secretSpecKind: SpecKind<'Secret'> = fileValueParts;
