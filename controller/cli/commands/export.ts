import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { BerthError } from '../../errors.js';
import { formatLoss } from '../../export/k8s-loss.js';
import { exportKubernetes, type KubernetesExport } from '../../export/kubernetes.js';
import type { CliContext, CommonOptions } from '../context.js';
import { loadInput } from '../load-input.js';
import { resolveProjectName } from '../project-name.js';

interface ExportOptions extends CommonOptions {
  filename?: string[];
  output?: string;
}

/**
 * `berth export kubernetes [-f PATH…] [-o DIR]` (DESIGN.md "Several engines"): the set as
 * Kubernetes objects, printed as one YAML stream or written one file per berth object.
 * Every field that cannot be carried is named on stderr as `file:line:col: …`. Exit 0
 * lossless, 2 written with losses, 1 invalid input (nothing written). Touches no engine.
 */
export async function run(
  ctx: CliContext,
  target: string,
  options: ExportOptions,
): Promise<number> {
  if (target !== 'kubernetes')
    throw new BerthError('E_USAGE', `cannot export to "${target}"; berth exports to: kubernetes`);
  const paths = options.filename?.length ? options.filename : ['.'];
  const input = await loadInput(ctx, paths);
  const project = resolveProjectName(options.project, paths, ctx.cwd, ctx.env);
  const result = exportKubernetes(input.set.objects, project);
  if (options.output) await writeFiles(resolve(ctx.cwd, options.output), result);
  else ctx.stdout.write(yamlStream(result.documents));
  for (const loss of result.losses) ctx.stderr.write(formatLoss(loss) + '\n');
  const n = result.documents.length;
  const where = options.output ? ` into ${options.output}` : '';
  ctx.stderr.write(
    `exported ${n} Kubernetes object${n === 1 ? '' : 's'}${where}` +
      (result.losses.length ? `; ${result.losses.length} field(s) not carried\n` : ', lossless\n'),
  );
  return result.losses.length ? 2 : 0;
}

/** Documents separated by `---`, each headed by where its berth object is declared. */
function yamlStream(documents: KubernetesExport['documents']): string {
  return documents
    .map(({ from, object }) => {
      const at = `${from.source.file}:${from.source.line}:${from.source.column}`;
      return `# from ${from.kind}/${from.name} (${at})\n${stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`;
    })
    .join('---\n');
}

/** One file per berth object (`container-web.yaml` holds its workload and Service). */
async function writeFiles(dir: string, result: KubernetesExport): Promise<void> {
  await mkdir(dir, { recursive: true });
  const byFile = new Map<string, KubernetesExport['documents']>();
  for (const doc of result.documents) {
    const name = `${doc.from.kind.toLowerCase()}-${doc.object.metadata.name}.yaml`;
    byFile.set(name, [...(byFile.get(name) ?? []), doc]);
  }
  for (const [name, docs] of byFile) await writeFile(join(dir, name), yamlStream(docs));
}
