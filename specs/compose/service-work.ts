import type { MountTarget } from './mounts.js';

/** One Compose service while it is converted; the service-*.ts carriers fill it in. */
export interface ServiceWork extends MountTarget {
  svc: Record<string, unknown>;
  /** metadata.name of the Container. */
  name: string;
  spec: Record<string, unknown>;
  labels: Record<string, string>;
  notes: string[];
  /** Compose `container_name`: kept as a network alias so the name still resolves. */
  aliases: string[];
}
