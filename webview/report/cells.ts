/**
 * The attributes of one report grid cell, apart from the DOM so that a unit test can read them: the grid
 * position, the header role, and the full value as a tooltip. Cells wrap rather than cut (see reportHtml.ts's
 * style); the tooltip is for a value that a narrow panel still wraps onto several lines.
 */
export function cellAttributes(text: string, column: number, options: { header?: boolean } = {}): Record<string, string> {
  const attributes: Record<string, string> = { 'grid-column': String(column) };
  if (options.header) attributes['cell-type'] = 'columnheader';
  if (text) attributes.title = text;
  return attributes;
}
