import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

type StyleProps = Readonly<Record<string, string>>;

/**
 * Sets inline style properties through the CSSOM (`element.style.setProperty`), never through a
 * `style` attribute. The Content-Security-Policy (`style-src 'self'`, no 'unsafe-inline', see
 * vite.config.ts) blocks style attributes written in markup or with setAttribute — which is what a
 * Lit `style=${…}` binding and `styleMap`'s first render do — but not CSSOM writes.
 * Usage: html`<td ${styleProps({ background: 'hsl(207 70% 50%)', color: '#fff' })}>` (CSS names).
 */
class StylePropsDirective extends Directive {
  private names = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('styleProps belongs on an element: <td ${styleProps({…})}>');
  }

  render(_props: StyleProps) {
    return noChange;
  }

  update(part: ElementPart, [props]: [StyleProps]) {
    const { style } = part.element as HTMLElement;
    for (const name of this.names) if (!(name in props)) style.removeProperty(name);
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    this.names = new Set(Object.keys(props));
    return noChange;
  }
}

export const styleProps = directive(StylePropsDirective);
