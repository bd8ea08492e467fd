import { loadManifests } from './specs/index.js';
for (let i = 0; i < 8; i++) {
  const a = performance.now();
  const r = await loadManifests(['/tmp/vbench/w/berth'], { hash: false });
  console.log(r.set.objects.length, (performance.now() - a).toFixed(0), 'ms');
}
