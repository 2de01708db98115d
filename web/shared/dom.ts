/** A few helpers to build the pages' DOM without a framework (the pages must stay small). */

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

/** An element with attributes (`class`, `aria-*`, …; false/undefined leave one out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: ParentNode, ...children: Child[]): void {
  for (const child of children) if (child !== null && child !== undefined && child !== false) parent.append(child);
}

export function button(label: string, onClick: () => void, attributes: Attributes = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attributes }, label);
  b.addEventListener('click', onClick);
  return b;
}

let ids = 0;
/** A unique id for aria-labelledby and label/for pairs. */
export const uniqueId = (prefix: string): string => `${prefix}-${++ids}`;

/** A section landmark named by its heading. */
export function region(title: string, level: 2 | 3, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const id = uniqueId('region');
  const heading = h(`h${level}`, { id }, title);
  return h('section', { 'aria-labelledby': id, ...attributes }, heading, ...children);
}
