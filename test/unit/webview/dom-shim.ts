// A very small DOM for testing the webview's DOM-building code in Node: elements, text nodes, fragments, attributes,
// events. Enough to check structure and that model text only ever becomes text; not a browser.

type Listener = (event: FakeEvent) => void;

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly type: string, init: Record<string, unknown> = {}) {
    Object.assign(this, init);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
  stopPropagation(): void {}
}

export class FakeNode {
  parentNode: FakeElement | FakeFragment | undefined;
  childNodes: FakeNode[] = [];
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(value: string) {
    this.childNodes = [];
    if (value !== '') this.appendChild(new FakeText(value));
  }
  appendChild<T extends FakeNode>(child: T): T {
    const kids = child instanceof FakeFragment ? [...child.childNodes] : [child];
    if (child instanceof FakeFragment) child.childNodes = [];
    for (const k of kids) {
      if (k.parentNode) k.parentNode.childNodes = k.parentNode.childNodes.filter((c) => c !== k);
      k.parentNode = this as unknown as FakeElement;
      this.childNodes.push(k);
    }
    return child;
  }
  append(...nodes: (FakeNode | string)[]): void {
    for (const n of nodes) this.appendChild(typeof n === 'string' ? new FakeText(n) : n);
  }
  replaceChildren(...nodes: (FakeNode | string)[]): void {
    this.childNodes = [];
    this.append(...nodes);
  }
  remove(): void {
    if (this.parentNode) this.parentNode.childNodes = this.parentNode.childNodes.filter((c) => c !== this);
    this.parentNode = undefined;
  }
  get children(): FakeElement[] {
    return this.childNodes.filter((c): c is FakeElement => c instanceof FakeElement);
  }
}

export class FakeText extends FakeNode {
  constructor(public data: string) {
    super();
  }
  override get textContent(): string {
    return this.data;
  }
  override set textContent(value: string) {
    this.data = value;
  }
  appendData(more: string): void {
    this.data += more;
  }
}

export class FakeFragment extends FakeNode {}

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, Listener[]>();
  className = '';
  [key: string]: unknown;
  constructor(readonly tagName: string) {
    super();
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  dispatchEvent(event: FakeEvent): boolean {
    for (const l of this.listeners.get(event.type) ?? []) l(event);
    return !event.defaultPrevented;
  }
  click(): void {
    this.dispatchEvent(new FakeEvent('click'));
  }
  focus(): void {}
  scrollIntoView(): void {}
  get classList(): { add(c: string): void; remove(c: string): void; toggle(c: string, on?: boolean): void; contains(c: string): boolean } {
    const list = (): string[] => this.className.split(/\s+/).filter(Boolean);
    return {
      add: (c) => (this.className = [...new Set([...list(), c])].join(' ')),
      remove: (c) => (this.className = list().filter((x) => x !== c).join(' ')),
      toggle: (c, on) => ((on ?? !list().includes(c)) ? this.classList.add(c) : this.classList.remove(c)),
      contains: (c) => list().includes(c),
    };
  }
  /** Every element below (depth first), this one excluded. */
  all(): FakeElement[] {
    return this.children.flatMap((c) => [c, ...c.all()]);
  }
  find(predicate: (e: FakeElement) => boolean): FakeElement | undefined {
    return this.all().find(predicate);
  }
  byClass(name: string): FakeElement[] {
    return this.all().filter((e) => e.className.split(/\s+/).includes(name));
  }
  byTag(tag: string): FakeElement[] {
    return this.all().filter((e) => e.tagName === tag);
  }
}

export const fakeDocument = {
  createElement: (tag: string) => new FakeElement(tag.toLowerCase()),
  createTextNode: (text: string) => new FakeText(text),
  createDocumentFragment: () => new FakeFragment(),
};

/** The fake document typed as the real one, for code that takes a Document. */
export const doc = fakeDocument as unknown as Document;

/** Installs the fake as the global `document` (for modules that use the global). */
export function installGlobalDocument(): void {
  (globalThis as { document?: unknown }).document = fakeDocument;
}
