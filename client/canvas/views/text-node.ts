import Konva from 'konva';
import type { SceneContext } from 'konva/lib/Context';

/** Below this height on screen (CSS px) a line of text cannot be read and is drawn as a bar. */
const GREEK_BELOW_PX = 4;
/** A greeked line's bar, as a share of the font size: about the height of lower-case letters. */
const BAR_SHARE = 0.45;
/** Konva measures this sample for the baseline on every draw; the sample it uses. */
const SAMPLE = 'M';

type Metrics = ReturnType<Konva.Text['measureSize']>;

/**
 * Konva.Text with two savings that matter when hundreds of labels are drawn on each pan or zoom
 * frame: the font's sample metrics, which Konva measures again on every draw, are kept until the
 * font changes; and text too small to read on screen is drawn as one bar per line (greeking),
 * which costs a rectangle instead of laying out glyphs. Above that size it draws exactly as Konva.
 */
export class TextNode extends Konva.Text {
  private sample: { font: string; metrics: Metrics } | null = null;

  override measureSize(text: string): Metrics {
    if (text !== SAMPLE) return super.measureSize(text);
    const font = this._getContextFont();
    if (this.sample?.font !== font) this.sample = { font, metrics: super.measureSize(text) };
    return this.sample.metrics;
  }

  override _sceneFunc(context: SceneContext): void {
    const onScreen = this.fontSize() * Math.abs(this.getAbsoluteScale().y);
    if (onScreen >= GREEK_BELOW_PX || !this.text()) {
      super._sceneFunc(context);
      return;
    }
    const fontSize = this.fontSize();
    const lineHeight = this.lineHeight() * fontSize;
    const bar = fontSize * BAR_SHARE;
    const padding = this.padding();
    const available = this.getWidth() - padding * 2;
    const top = this._getTextTop();
    context.beginPath();
    this.textArr.forEach(({ width }, n) => {
      const align = this.align();
      const x = padding + (align === 'right' ? available - width : align === 'center' ? (available - width) / 2 : 0);
      context.rect(x, top + n * lineHeight + (lineHeight - bar) / 2, width, bar);
    });
    context.closePath();
    context.fillShape(this);
  }
}
