import { html, render } from 'htm/preact';
import { applyMessage, emptySnapshot } from '../view-state.js';
import { App } from './app.js';
import { followStream } from './stream.js';
import './styles.css';

/** Renders at most this often (ms): a burst of events costs ≤ 10 frames a second. */
const FRAME_MS = 100;

const root = document.getElementById('app')!;
let view = emptySnapshot();
let connected = false;
let everConnected = false;
let scheduled = false;
let lastRender = 0;

function draw(): void {
  scheduled = false;
  lastRender = performance.now();
  render(html`<${App} view=${view} connected=${connected} everConnected=${everConnected} />`, root);
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(
    () => requestAnimationFrame(draw),
    Math.max(0, lastRender + FRAME_MS - performance.now()),
  );
}

followStream({
  onMessage(message) {
    view = applyMessage(view, message);
    schedule();
  },
  onConnected(up) {
    connected = up;
    everConnected ||= up;
    schedule();
  },
});
draw();
