package dev.finops.core.report.html;

/** The page's style sheet: system fonts only, print rules, and the CSS-only view switch. */
final class HtmlStyle {

  static final String CSS = """
      :root { color-scheme: light; }
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
             color: #1d1d1f; background: #fff; margin: 0 auto; max-width: 800px; padding: 16px 20px; }
      h1 { font-size: 22px; margin: 0 0 8px; }
      h2 { font-size: 17px; margin: 0 0 4px; }
      header { border-bottom: 1px solid #ddd; padding-bottom: 8px; margin-bottom: 12px; }
      dl.summary, dl.stats { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 4px 0; }
      dl.summary dt, dl.stats dt { color: #666; }
      dl.summary dd, dl.stats dd { margin: 0 0 0 -12px; font-weight: 600; font-variant-numeric: tabular-nums; }
      section.chart { margin: 0 0 22px; break-inside: avoid; page-break-inside: avoid; }
      section.omitted { color: #555; }
      .units, .note { color: #555; margin: 2px 0 6px; font-size: 13px; }
      svg { display: block; max-width: 100%; height: auto; font-size: 11px; }
      figure { margin: 0 0 10px; }
      figcaption { font-weight: 600; font-size: 13px; margin-bottom: 2px; }
      .grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 8px; }
      .grid { stroke: #e6e6e6; stroke-width: 1; }
      .axis { stroke: #888; stroke-width: 1; }
      .tick, .unit { fill: #555; }
      .barlabel { fill: #111; font-size: 11px; }
      .bar.useful, .swatch.useful { fill: #59a14f; background: #59a14f; }
      .bar.idle, .swatch.idle { fill: #bab0ac; background: #bab0ac; }
      .gap, .swatch.gap { fill: #f6d5d5; background: #f6d5d5; }
      polyline { fill: none; stroke-width: 2; }
      polyline.remaining, .swatch.remaining { stroke: #4e79a7; background: #4e79a7; }
      polyline.cumulative, .swatch.cumulative { stroke: #4e79a7; background: #4e79a7; }
      polyline.forecast { stroke: #e15759; stroke-dasharray: 6 4; }
      .swatch.forecast { background: repeating-linear-gradient(90deg, #e15759 0 6px, transparent 6px 10px); }
      line.limit { stroke: #e15759; stroke-width: 1.5; }
      .swatch.limit { background: #e15759; height: 3px; }
      line.marker { stroke: #888; stroke-dasharray: 3 3; }
      circle.event, .swatch.event { fill: #f28e2b; background: #f28e2b; border-radius: 50%; }
      ul.legend { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; }
      .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; }
      input[name=sot] { position: absolute; opacity: 0; }
      input[name=sot] + label { display: inline-block; padding: 2px 10px; border: 1px solid #bbb; border-radius: 12px;
             margin: 0 4px 6px 0; cursor: pointer; font-size: 12px; }
      input[name=sot]:checked + label { background: #1d1d1f; color: #fff; border-color: #1d1d1f; }
      input[name=sot]:focus-visible + label { outline: 2px solid #4e79a7; }
      .view { display: none; }
      #sot-team:checked ~ #view-team, #sot-model:checked ~ #view-model, #sot-resource:checked ~ #view-resource,
      #sot-experiment:checked ~ #view-experiment, #sot-run:checked ~ #view-run { display: block; }
      .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
             clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
      footer { color: #777; font-size: 12px; border-top: 1px solid #ddd; padding-top: 6px; }
      @page { size: A4; margin: 12mm; }
      @media print {
        body { max-width: none; padding: 0; font-size: 11px; }
        input[name=sot], input[name=sot] + label { display: none; }
        .view { display: block !important; break-inside: avoid; }
      }
      """;

  private HtmlStyle() {}
}
