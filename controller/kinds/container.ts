import type { ControllerKind } from './controller-kind.js';

/** Container: matched by engine id or labels; status shows its image, ports and networks. */
export const containerKind: ControllerKind<'Container'> = {
  matchObserved: (pick, _desired, observed) => {
    const container = pick(observed.containers, (c) => c.id);
    return container && { kind: 'Container', container };
  },
  engineFacts: ({ container: c }) => {
    const ports = c.ports.map((p) =>
      p.hostPort
        ? `${p.hostIP || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`
        : `${p.containerPort}/${p.protocol}`,
    );
    return {
      id: c.id,
      image: c.imageRef,
      createdAt: c.createdAt,
      imageId: c.imageId,
      ports: [...new Set(ports)].sort(),
      networks: [...c.networks].sort(),
    };
  },
};
