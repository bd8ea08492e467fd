import type { Command } from 'commander';

/**
 * Two or three examples per verb, shown at the end of `berth VERB --help` (kubectl's habit).
 * Each line is a full command a user can paste.
 */
export const EXAMPLES: Record<string, string[]> = {
  validate: [
    'berth validate',
    'berth validate -f app/ -f extra.yaml',
    'berth validate -f app/ -o json',
  ],
  plan: ['berth plan', 'berth plan -f app/ --prune', 'berth plan -f app/ --exit-code'],
  diff: ['berth diff', 'berth diff -f app/', 'berth diff -f app/ -p shop'],
  apply: ['berth apply', 'berth apply -f app/ --prune', 'berth apply -f app/ -p shop --timeout 2m'],
  up: ['berth up', 'berth up -f app/ --stop-on-exit'],
  delete: ['berth delete', 'berth delete -f app/', 'berth delete Container/web'],
  down: ['berth down', 'berth down -p shop', 'berth down --volumes'],
  get: ['berth get', 'berth get containers -o wide', 'berth get Container/web -o yaml'],
  describe: ['berth describe Container/web', 'berth describe Network/backend -o json'],
  status: ['berth status', 'berth status -p shop -o json', 'berth status --history'],
  history: ['berth history', 'berth history -p shop -o json'],
  version: [
    'berth version',
    'berth version -o json',
    'berth version --engine unix:///run/podman/podman.sock',
  ],
  watch: ['berth watch app/', 'berth watch app/ --listen 127.0.0.1:7337 --resync 30s'],
  logs: ['berth logs', 'berth logs web db -f --tail 50', 'berth logs -l tier=front --since 10m'],
  exec: [
    'berth exec web -- ls /',
    'berth exec -it web -- sh',
    'berth exec -e MODE=debug web -- env',
  ],
  cp: [
    'berth cp web:/etc/hosts ./hosts',
    'berth cp ./site.tar web:/srv/',
    'berth cp ./app.conf worker-2:/etc/app.conf',
  ],
  import: [
    'berth import',
    'berth import -f docker-compose.yml -o berth/',
    'berth import -f compose.yaml -f compose.prod.yaml --profile debug -o berth/',
    'berth import -o berth/ --allow-host-path /var/run/docker.sock',
  ],
  rollback: ['berth rollback', 'berth rollback mi5k2x9a -p shop', 'berth history -o json'],
  hold: ['berth hold', 'berth hold -p shop'],
  release: ['berth release', 'berth release -p shop'],
  export: [
    'berth export kubernetes',
    'berth export kubernetes -f app/ -o k8s/',
    'berth export kubernetes -f app/ | kubectl apply --dry-run=client -f -',
  ],
  restart: ['berth restart web', 'berth restart web worker -p shop'],
  run: [
    'berth run --rm -f app/ migrate -- ./migrate up',
    'berth run --rm -it web -- sh',
    'berth run --rm --no-deps -e MODE=once --entrypoint /bin/sh web -- -c env',
  ],
  push: ['berth push', 'berth push web --tag v1.2', 'berth push -f app/'],
  completion: [
    'berth completion bash > /etc/bash_completion.d/berth',
    'berth completion zsh > "${fpath[1]}/_berth"',
    'berth completion fish > ~/.config/fish/completions/berth.fish',
  ],
};

/** Adds the verb's examples to its help text; a verb without examples is left as it is. */
export function withExamples(command: Command, verb: string): Command {
  const lines = EXAMPLES[verb];
  if (!lines) return command;
  return command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}
