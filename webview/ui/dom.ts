/** Small DOM builders for the toolkit's custom elements (used by tag name; registered in ../toolkit). */

export interface ValueElement extends HTMLElement {
  value: string;
  disabled: boolean;
}

export interface CheckboxElement extends HTMLElement {
  checked: boolean;
  disabled: boolean;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(label: string, options: { appearance?: 'primary' | 'secondary' | 'icon'; id?: string; title?: string } = {}): ValueElement {
  const b = document.createElement('vscode-button') as ValueElement;
  b.textContent = label;
  if (options.appearance) b.setAttribute('appearance', options.appearance);
  if (options.id) b.id = options.id;
  if (options.title) b.title = options.title;
  return b;
}

export function dropdown(id: string, options: { value: string; label: string; disabled?: boolean; title?: string }[]): ValueElement {
  const d = document.createElement('vscode-dropdown') as ValueElement;
  d.id = id;
  for (const o of options) d.append(option(o));
  return d;
}

export function option(o: { value: string; label: string; disabled?: boolean; title?: string }): HTMLElement {
  const opt = document.createElement('vscode-option');
  opt.setAttribute('value', o.value);
  opt.textContent = o.label;
  if (o.disabled) opt.setAttribute('disabled', '');
  if (o.title) opt.title = o.title;
  return opt;
}

export function textField(id: string, value: string, size = 6): ValueElement {
  const t = document.createElement('vscode-text-field') as ValueElement;
  t.id = id;
  t.setAttribute('value', value);
  t.setAttribute('size', String(size));
  return t;
}

export function checkbox(id: string, label: string, checked: boolean, title?: string): CheckboxElement {
  const c = document.createElement('vscode-checkbox') as CheckboxElement;
  c.id = id;
  c.textContent = label;
  if (checked) c.setAttribute('checked', '');
  if (title) c.title = title;
  return c;
}

/** A labelled control: <label> then the control, stacked. */
export function field(label: string, control: HTMLElement, forId?: string): HTMLElement {
  const wrap = el('div', 'field');
  const l = el('label', undefined, label);
  if (forId) l.htmlFor = forId;
  wrap.append(l, control);
  return wrap;
}
