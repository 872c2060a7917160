/**
 * happy-dom does no layout, and its ResizeObserver never reports. This ResizeObserver reports when
 * a test gives an element a size with setElementSize, the way a browser reports when layout changes
 * it (TanStack Virtual sizes the customer list from it). Environment shimming: no application code
 * is replaced.
 */

interface Size {
  width: number;
  height: number;
}

const observersByTarget = new Map<Element, Set<TestResizeObserver>>();

function entryFor(target: Element): ResizeObserverEntry {
  const width = (target as HTMLElement).clientWidth ?? 0;
  const height = (target as HTMLElement).clientHeight ?? 0;
  const box = [{ inlineSize: width, blockSize: height }];
  return {
    target,
    contentRect: DOMRect.fromRect({ x: 0, y: 0, width, height }),
    borderBoxSize: box,
    contentBoxSize: box,
    devicePixelContentBoxSize: box,
  };
}

export class TestResizeObserver implements ResizeObserver {
  readonly #callback: ResizeObserverCallback;
  readonly #targets = new Set<Element>();

  constructor(callback: ResizeObserverCallback) {
    this.#callback = callback;
  }

  observe(target: Element): void {
    this.#targets.add(target);
    let set = observersByTarget.get(target);
    if (!set) {
      set = new Set();
      observersByTarget.set(target, set);
    }
    set.add(this);
  }

  unobserve(target: Element): void {
    this.#targets.delete(target);
    observersByTarget.get(target)?.delete(this);
  }

  disconnect(): void {
    for (const target of this.#targets) observersByTarget.get(target)?.delete(this);
    this.#targets.clear();
  }

  /** Reports the target's current size to this observer's callback. */
  report(target: Element): void {
    this.#callback([entryFor(target)], this);
  }
}

/** Lays an element out at this size (client, offset and bounding box) and tells its observers. */
export function setElementSize(element: HTMLElement, size: Size): void {
  const value = (v: number) => ({ configurable: true, get: () => v });
  Object.defineProperties(element, {
    clientWidth: value(size.width),
    clientHeight: value(size.height),
    offsetWidth: value(size.width),
    offsetHeight: value(size.height),
  });
  element.getBoundingClientRect = () => DOMRect.fromRect({ x: 0, y: 0, ...size });
  for (const observer of [...(observersByTarget.get(element) ?? [])]) observer.report(element);
}

export function resetResizeObservers(): void {
  observersByTarget.clear();
}
