/** Renders a Vega-Lite specification to SVG in Node, headless: no canvas, no browser. */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The SVG markup of `spec`, rendered by Vega's scenegraph (`View#toSVG`). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile({ background: 'white', ...spec }).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
