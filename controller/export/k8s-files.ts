import type { ConfigObject, DesiredObject, FileMount, SecretObject } from '../../specs/model.js';
import { lossesFor, type ExportLoss } from './k8s-loss.js';
import type { K8sObject } from './k8s-object.js';

/** The most a ConfigMap holds (the API server refuses a larger object). */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

/** Finds the bytes of a Secret or Config by digest (specs/file-values.ts `valueOf`). */
export type ValueOf = (digest: string) => Buffer | undefined;

/**
 * A Config as a ConfigMap (its bytes in full under one key, the Config's name: `data` for
 * UTF-8 text, `binaryData` otherwise) and a Secret as a Secret of that one key WITHOUT its
 * value (DESIGN.md: a secret's value never appears in output): the key is there, empty,
 * and a loss names the kubectl command that creates it from where the value comes from.
 */
export function fileValueObject(
  object: ConfigObject | SecretObject,
  project: string,
  valueOf: ValueOf,
  losses: ExportLoss[],
): K8sObject {
  const metadata = {
    name: object.name,
    labels: { 'app.kubernetes.io/part-of': project, 'app.kubernetes.io/managed-by': 'berth' },
    ...(Object.keys(object.labels).length ? { annotations: { ...object.labels } } : {}),
  };
  const lose = lossesFor(object, losses);
  const { source } = object.spec;
  if (object.kind === 'Secret') {
    const field = 'file' in source ? 'spec.file' : 'spec.env';
    const from =
      'file' in source
        ? `--from-file=${object.name}=${source.file}`
        : 'env' in source
          ? `--from-literal=${object.name}="$${source.env}"`
          : `--from-file=${object.name}=FILE`;
    lose(
      field,
      `value not exported (berth never prints a secret): the Secret is written with an empty key; ` +
        `create it with kubectl create secret generic ${object.name} ${from}`,
    );
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata,
      type: 'Opaque',
      data: { [object.name]: '' },
    };
  }
  const bytes = valueOf(object.spec.digest) ?? Buffer.alloc(0);
  if (bytes.length > CONFIG_MAP_MAX_BYTES)
    lose(
      'content' in source ? 'spec.content' : 'file' in source ? 'spec.file' : 'spec.env',
      `${bytes.length} bytes: a ConfigMap holds at most 1 MiB`,
    );
  const text = bytes.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(bytes);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata,
    ...(isText
      ? { data: { [object.name]: text } }
      : { binaryData: { [object.name]: bytes.toString('base64') } }),
  };
}

/** The pod volume and the container's volumeMount for one Secret or Config mount. */
export interface FileMountParts {
  volume: Record<string, unknown>;
  volumeMount: Record<string, unknown>;
}

/**
 * A Secret or Config mount: a volume of its one key, mounted with `subPath` at the target
 * so the folder around it stays the image's (as berth's bind mount of one file), read-only,
 * with the mount's mode (`defaultMode`; Kubernetes takes permission bits 0–0777 only).
 * Kubernetes writes these files owned by root: a uid other than 0 is a loss; the gid is
 * carried by the pod's `fsGroup` (see {@link podFsGroup}).
 */
export function fileMountParts(
  mount: FileMount,
  index: number,
  lose: (field: string, why: string) => void,
): FileMountParts {
  const name = `${mount.type}-${index}`;
  const items = [{ key: mount.name, path: mount.name }];
  const mode = mount.mode & 0o777;
  if (mode !== mount.mode)
    lose(
      `spec.mounts[${index}].mode`,
      `0${mount.mode.toString(8)}: Kubernetes sets permission bits only (0${mode.toString(8)})`,
    );
  if (mount.uid !== undefined && mount.uid !== 0)
    lose(
      `spec.mounts[${index}].uid`,
      `${mount.uid}: Kubernetes writes ${mount.type} files owned by root; make the mode readable or run as root`,
    );
  const source =
    mount.type === 'secret'
      ? { secret: { secretName: mount.name, items, defaultMode: mode } }
      : { configMap: { name: mount.name, items, defaultMode: mode } };
  return {
    volume: { name, ...source },
    volumeMount: { name, mountPath: mount.target, subPath: mount.name, readOnly: true },
  };
}

/**
 * The pod's `fsGroup` for the gids of its Secret and Config mounts: Kubernetes gives a
 * pod's volume files one group, so one gid is carried and any other is a loss. fsGroup
 * applies to every volume of the pod (its claims too).
 */
export function podFsGroup(
  mounts: readonly { mount: FileMount; index: number }[],
  lose: (field: string, why: string) => void,
): number | undefined {
  let group: number | undefined;
  for (const { mount, index } of mounts) {
    if (mount.gid === undefined || mount.gid === 0) continue;
    if (group === undefined) group = mount.gid;
    else if (mount.gid !== group)
      lose(
        `spec.mounts[${index}].gid`,
        `${mount.gid}: a pod's volume files share one group (fsGroup ${group})`,
      );
  }
  return group;
}

/** Whether an object is one of the file-value kinds. */
export function isFileValue(object: DesiredObject): object is ConfigObject | SecretObject {
  return object.kind === 'Secret' || object.kind === 'Config';
}
