import { describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { swarmNameProblems } from './swarm-names.js';

const yaml = `
apiVersion: berth/v1
kind: Config
metadata: {name: site}
spec: {content: "x"}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: localhost/berth-busybox:1
  networks: [backend]
  mounts: [{config: site, target: /etc/site.conf}]
---
apiVersion: berth/v1
kind: Network
metadata: {name: backend}
`;

describe('swarmNameProblems', () => {
  it('names each object whose Swarm name is over the limit of its type, at its position', async () => {
    const desired = await desiredFrom(yaml);
    expect(swarmNameProblems(desired, 'p')).toEqual([]);
    // 46 + `-site-` + 12 hex = 64 (the most for a config); the network and service fit too.
    expect(swarmNameProblems(desired, 'p'.repeat(46))).toEqual([]);
    const problems = swarmNameProblems(desired, 'p'.repeat(47));
    expect(problems.map((p) => `${p.line} ${p.code} ${p.message}`)).toEqual([
      expect.stringMatching(
        /^3 E_NAME Config "site": its Swarm config name p{47}-site-[0-9a-f]{12} has 65 characters; a Swarm allows 64 \(shorten the project name or metadata\.name\)$/,
      ),
    ]);
    const longer = swarmNameProblems(desired, 'p'.repeat(60));
    expect(longer.map((p) => p.message.split(':')[0])).toEqual([
      'Container "web"',
      'Config "site"',
      'Network "backend"',
    ]);
  });
});
