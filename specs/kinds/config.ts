import { fileValueParts } from './file-value.js';
import type { SpecKind } from './spec-kind.js';

/** Config: a file value mounted into containers, like a Secret but not secret (file-value.ts). */
export const configSpecKind: SpecKind<'Config'> = fileValueParts;
