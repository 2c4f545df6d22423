package dev.finops.core.report.html;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One SVG chart frame: a plot area with a linear x axis (a number: an index or epoch milliseconds)
 * and a linear y axis of exact amounts whose gridlines fall on short decimals. Coordinates are
 * doubles (drawing only); every label is an exact decimal.
 */
final class SvgPlot {

  static final int WIDTH = 760;
  static final int LEFT = 78;
  static final int RIGHT = 16;
  static final int TOP = 12;
  static final int BOTTOM = 36;

  private final int height;
  private final double xMin;
  private final double xMax;
  private final BigDecimal yMin;
  private final BigDecimal yMax;
  private final List<BigDecimal> yTicks;
  private final StringBuilder body = new StringBuilder();
  private boolean yAxis = true;

  /** A frame over {@code [xMin, xMax]} and y from {@code min(0, yLow)} to a round value at or above {@code yHigh}. */
  SvgPlot(int height, double xMin, double xMax, BigDecimal yLow, BigDecimal yHigh) {
    this.height = height;
    this.xMin = xMin;
    this.xMax = xMax == xMin ? xMin + 1 : xMax;
    BigDecimal low = yLow.min(BigDecimal.ZERO);
    BigDecimal high = yHigh.max(BigDecimal.ZERO);
    BigDecimal step = step(high.subtract(low));
    this.yMin = low.divide(step, 0, RoundingMode.FLOOR).multiply(step);
    this.yMax = high.divide(step, 0, RoundingMode.CEILING).multiply(step).max(yMin.add(step));
    this.yTicks = new ArrayList<>();
    for (BigDecimal t = yMin; t.compareTo(yMax) <= 0; t = t.add(step)) {
      yTicks.add(t);
    }
  }

  /** A gridline step of 1, 2 or 5 times a power of ten giving about five lines over {@code range}. */
  static BigDecimal step(BigDecimal range) {
    if (range.signum() <= 0) {
      return BigDecimal.ONE;
    }
    BigDecimal raw = range.divide(BigDecimal.valueOf(5), 20, RoundingMode.HALF_EVEN).stripTrailingZeros();
    int exponent = raw.precision() - raw.scale() - 1;
    BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(exponent);
    for (int m : new int[] {1, 2, 5}) {
      BigDecimal s = unit.multiply(BigDecimal.valueOf(m));
      if (s.compareTo(raw) >= 0) {
        return s;
      }
    }
    return unit.multiply(BigDecimal.TEN);
  }

  /** Leaves out the y gridlines and labels (a chart whose y is a list of rows, not a scale). */
  SvgPlot withoutYAxis() {
    yAxis = false;
    return this;
  }

  int plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  int plotBottom() {
    return height - BOTTOM;
  }

  double x(double v) {
    return LEFT + (v - xMin) / (xMax - xMin) * plotWidth();
  }

  double y(BigDecimal v) {
    double span = yMax.subtract(yMin).doubleValue();
    return plotBottom() - v.subtract(yMin).doubleValue() / span * (plotBottom() - TOP);
  }

  /** Appends raw SVG markup inside the plot. */
  SvgPlot add(String markup) {
    body.append(markup);
    return this;
  }

  SvgPlot rect(double x, double y, double w, double h, String cssClass, String fill, String title) {
    body.append("<rect class=\"").append(cssClass).append("\" x=\"").append(n(x)).append("\" y=\"").append(n(y))
        .append("\" width=\"").append(n(Math.max(w, 0.5))).append("\" height=\"").append(n(Math.max(h, 0.5))).append('"');
    if (fill != null) {
      body.append(" fill=\"").append(fill).append('"');
    }
    body.append("><title>").append(HtmlReport.esc(title)).append("</title></rect>\n");
    return this;
  }

  SvgPlot text(double x, double y, String anchor, String cssClass, String text) {
    body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
        .append("\" class=\"").append(cssClass).append("\">").append(HtmlReport.esc(text)).append("</text>\n");
    return this;
  }

  SvgPlot line(double x1, double y1, double x2, double y2, String cssClass) {
    body.append("<line class=\"").append(cssClass).append("\" x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1))
        .append("\" x2=\"").append(n(x2)).append("\" y2=\"").append(n(y2)).append("\"/>\n");
    return this;
  }

  /** A polyline through {@code points} ({x, y} pairs already in SVG coordinates). */
  SvgPlot polyline(List<double[]> points, String cssClass) {
    body.append("<polyline class=\"").append(cssClass).append("\" points=\"");
    for (double[] p : points) {
      body.append(n(p[0])).append(',').append(n(p[1])).append(' ');
    }
    body.append("\"/>\n");
    return this;
  }

  /** A vertical x-axis label and tick at {@code v}. */
  SvgPlot xLabel(double v, String label) {
    double x = x(v);
    line(x, plotBottom(), x, plotBottom() + 4, "axis");
    return text(x, plotBottom() + 18, "middle", "tick", label);
  }

  /**
   * The whole {@code <svg>}: gridlines and y labels (each tick followed by {@code unit}), the axes,
   * then the body.
   */
  String render(String id, String label, String yUnit) {
    StringBuilder sb = new StringBuilder();
    sb.append("<svg id=\"").append(id).append("\" role=\"img\" aria-label=\"").append(HtmlReport.esc(label))
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\">\n");
    for (BigDecimal t : yAxis ? yTicks : List.<BigDecimal>of()) {
      double y = y(t);
      sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(n(y)).append("\" y2=\"").append(n(y)).append("\"/>")
          .append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(n(y + 4))
          .append("\" text-anchor=\"end\">").append(t.stripTrailingZeros().toPlainString()).append("</text>\n");
    }
    sb.append("<text class=\"unit\" x=\"4\" y=\"").append(TOP + 2).append("\" transform=\"rotate(-90 4 ").append(TOP + 2)
        .append(")\" text-anchor=\"end\" dy=\"10\">").append(HtmlReport.esc(yUnit)).append("</text>\n");
    sb.append(body);
    sb.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
        .append(n(y(BigDecimal.ZERO))).append("\" y2=\"").append(n(y(BigDecimal.ZERO))).append("\"/>\n");
    sb.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"").append(TOP)
        .append("\" y2=\"").append(plotBottom()).append("\"/>\n");
    return sb.append("</svg>\n").toString();
  }

  /** A coordinate with one decimal. */
  static String n(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
