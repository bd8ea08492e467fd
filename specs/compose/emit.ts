import { Document } from 'yaml';
import type { ImportedObject } from './state.js';
import { withBlankDefaults } from './values.js';
import { visibleText } from '../visible-text.js';

/**
 * How every manifest file `berth import` writes begins; a later import into the same folder
 * removes the files that start with it and that it no longer writes (a service taken out).
 */
export const IMPORT_HEADER = '# Imported by berth import';

const SHARED_FILES: Record<string, string> = {
  Image: 'images.yaml',
  Network: 'networks.yaml',
  Volume: 'volumes.yaml',
  BindMount: 'bindmounts.yaml',
  Secret: 'secrets.yaml',
  Config: 'configs.yaml',
};

/**
 * Lays the objects out as manifest files: one per Container (`<name>.yaml`), one per kind
 * of shared object. Each object carries a comment naming the Compose `file:line:col` it
 * came from. Output is deterministic (files and objects sorted by name).
 */
export function emitFiles(
  objects: ImportedObject[],
  sources: string[],
  project: string,
): Map<string, string> {
  const byFile = new Map<string, ImportedObject[]>();
  for (const o of objects) {
    const file = o.kind === 'Container' ? `${o.name}.yaml` : SHARED_FILES[o.kind]!;
    byFile.set(file, [...(byFile.get(file) ?? []), o]);
  }
  const header =
    `${IMPORT_HEADER} from ${visibleText(sources.join(', '))} (project ${project}).\n` +
    `# \${…} are kept, resolved by berth from the environment and .env at validate/apply;\n` +
    `# \${VAR} without a default is written \${VAR:-}: Compose makes an unset one blank, berth\n` +
    `# would refuse it.\n`;
  const out = new Map<string, string>();
  for (const file of [...byFile.keys()].sort()) {
    const docs = byFile
      .get(file)!
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(toYaml);
    out.set(file, header + docs.join('---\n'));
  }
  return out;
}

function toYaml(o: ImportedObject): string {
  const doc = new Document({
    apiVersion: 'berth/v1',
    kind: o.kind,
    metadata: { name: o.name, ...(o.labels && { labels: withBlankDefaults(o.labels) }) },
    spec: withBlankDefaults(o.spec),
  });
  const from = o.from ? `${o.from.file}:${o.from.line}:${o.from.column}` : undefined;
  const lines = [` ${o.source}${from ? ` from ${from}` : ''}`, ...o.notes.map((n) => ` ${n}`)];
  // Comments quote the Compose input: `cat` of the file must not run its escapes (F345).
  doc.commentBefore = visibleText(lines.join('\n'), { keepNewlines: true });
  return doc.toString({ lineWidth: 0 });
}
