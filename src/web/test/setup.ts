import { notifications } from '@mantine/notifications';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { resetResizeObservers, TestResizeObserver } from './resize-observer.js';

// Browser APIs happy-dom lacks or leaves inert, shimmed for Mantine and TanStack Virtual.
globalThis.ResizeObserver = TestResizeObserver;

// happy-dom does no layout, so every box is 0×0 at the origin and floating-ui (behind Mantine's
// menus, popovers and selects) takes each anchor for clipped out of view and hides its dropdown.
// Give every element the same small box on screen instead; tests size the elements whose size
// matters with setElementSize.
const box = { width: 160, height: 32 };
Element.prototype.getBoundingClientRect = function getBoundingClientRect() {
  return DOMRect.fromRect({ x: 0, y: 0, ...box });
};
for (const [name, value] of Object.entries({
  clientWidth: box.width,
  clientHeight: box.height,
  offsetWidth: box.width,
  offsetHeight: box.height,
})) {
  Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
}
// The root element's client size is the viewport's, as in a browser.
Object.defineProperties(document.documentElement, {
  clientWidth: { configurable: true, get: () => window.innerWidth },
  clientHeight: { configurable: true, get: () => window.innerHeight },
});

// Every request goes to a real server: give it time.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  notifications.clean();
  window.localStorage.clear();
  resetResizeObservers();
});
