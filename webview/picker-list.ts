// The drop-down both completions in the task box use (@-mentions and slash commands): a listbox under the input
// whose rows the arrow keys move through (wrapping), Enter or Tab choose, Escape closes, and a mouse press chooses
// without taking focus from the input. Subclasses say what a row shows and what choosing it does.
import { el } from './dom.js';

export abstract class PickerList<T> {
  readonly element: HTMLElement;
  protected items: T[] = [];
  private active = 0;

  constructor(className: string, label?: string) {
    this.element = el('ul', className);
    this.element.setAttribute('role', 'listbox');
    if (label) this.element.setAttribute('aria-label', label);
    this.element.hidden = true;
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  /** Handles a key in the input; true when the list used it. */
  key(e: KeyboardEvent): boolean {
    if (!this.open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.items.length) % Math.max(1, this.items.length);
      this.render();
      return true;
    }
    if ((e.key === 'Enter' || e.key === 'Tab') && this.items.length) {
      this.choose(this.items[this.active]!);
      return true;
    }
    if (e.key === 'Escape') {
      this.close();
      return true;
    }
    return false;
  }

  close(): void {
    this.element.hidden = true;
  }

  /** Shows these rows (at most 30), the first active; an empty list closes. */
  protected show(items: readonly T[]): void {
    this.items = items.slice(0, 30);
    this.active = 0;
    this.element.hidden = this.items.length === 0;
    this.render();
  }

  protected abstract choose(item: T): void;

  /** The row's content: the list adds the role, the active state and the mouse handling. */
  protected abstract row(item: T): { className: string; children: HTMLElement[]; title?: string };

  private render(): void {
    this.element.replaceChildren();
    this.items.forEach((item, i) => {
      const { className, children, title } = this.row(item);
      const li = el('li', `${className}${i === this.active ? ' active' : ''}`);
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === this.active));
      if (title) li.title = title;
      li.append(...children);
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        this.choose(item);
      });
      this.element.append(li);
    });
  }
}
