package dev.finops.advisor;

/**
 * The gamma distribution (shape {@code a}, rate {@code b}) as far as the spot-risk estimate needs it: the
 * regularized lower incomplete gamma function and quantiles. Statistics, in double; never money.
 */
final class GammaDistribution {
  private static final double EPS = 1e-15;
  private static final double[] LANCZOS = {
      0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
      12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

  private GammaDistribution() {}

  /** ln Γ(x), x > 0 (Lanczos, g = 7). */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    }
    x -= 1;
    double sum = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
  }

  /** P(a, x) = γ(a, x) / Γ(a): the series below a + 1, Lentz's continued fraction for Q above. */
  static double regularizedLower(double a, double x) {
    if (x <= 0) {
      return 0;
    }
    double lead = a * Math.log(x) - x - logGamma(a);
    if (x < a + 1) {
      double term = 1 / a;
      double sum = term;
      for (int n = 1; n < 10_000; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * EPS) {
          break;
        }
      }
      return Math.min(1, sum * Math.exp(lead));
    }
    double b = x + 1 - a;
    double c = 1 / 1e-300;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < 1e-300 ? 1e-300 : d;
      c = b + an / c;
      c = Math.abs(c) < 1e-300 ? 1e-300 : c;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPS) {
        break;
      }
    }
    return Math.max(0, 1 - Math.exp(lead) * h);
  }

  /** The {@code p} quantile of Gamma(shape a, rate b), by bisection on P (relative precision about 1e-12). */
  static double quantile(double a, double b, double p) {
    if (!(a > 0 && b > 0 && p > 0 && p < 1)) {
      throw new IllegalArgumentException("need a > 0, b > 0, 0 < p < 1");
    }
    double lo = 0;
    double hi = Math.max(1, a) * 2;
    while (regularizedLower(a, hi) < p) {
      hi *= 2;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
      double mid = (lo + hi) / 2;
      if (regularizedLower(a, mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2 / b;
  }
}
