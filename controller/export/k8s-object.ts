/** A Kubernetes object as plain JSON (`apiVersion`, `kind`, `metadata`, …). */
export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
};
