package dev.finops.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code finops.*} properties. Everything has a default: with none set, the bundled catalog prices
 * every call, unknown models fail loudly, and no budget applies.
 *
 * <pre>{@code
 * finops:
 *   catalogs: [/etc/finops/negotiated.json]      # above the bundled catalog, first wins
 *   unknown-model: record-unpriced
 *   default-tags: {org: acme, project: search}
 *   request-tags:
 *     headers: {team: X-Team, customer: X-Customer}
 *   budgets:
 *     - scope: team=nlp
 *       limit: "500.00"
 *       window: daily
 *       zone: Europe/Paris
 *       notify-at: ["0.8"]
 *       throttle-at: "0.9"
 *       throttle-delay: 250ms
 * }</pre>
 */
@ConfigurationProperties(prefix = "finops")
public class FinOpsProperties {

  /** Whether the starter configures finops at all. */
  private boolean enabled = true;

  /** User price catalogs (JSON files), layered above the bundled catalog; earlier files take precedence. */
  private List<Path> catalogs = new ArrayList<>();

  /** A catalog of overrides, above every other layer (negotiated prices, say). */
  private Path overrides;

  /** Whether the catalog bundled with finops is the lowest layer. */
  private boolean bundledCatalog = true;

  /**
   * What pricing does with a model no catalog knows: {@code fail} (an exception where the call is
   * recorded, counted) or {@code record-unpriced} (the usage is kept, unpriced, and counted).
   */
  private UnknownModel unknownModel = UnknownModel.FAIL;

  /**
   * Tags every call is recorded under, below the request's and the call's own tags: org, team, project,
   * experiment, run, model, endpoint, customer, or up to four custom keys.
   */
  private Map<String, String> defaultTags = new LinkedHashMap<>();

  /**
   * Resolution of a coarse clock of its own for the recording hot path (one background thread updates
   * it); unset: the JVM's shared 1 ms clock ({@code Clock.shared()}).
   */
  private Duration clockResolution;

  /** Under which names the cost goes on spans: finops ({@code finops.cost.*}), gen-ai ({@code gen_ai.usage.cost.*}) or both. */
  private SpanCostNames spanCostNames = SpanCostNames.FINOPS;

  /** Budgets, each on one tag scope, checked before every call they apply to. */
  private List<BudgetProperties> budgets = new ArrayList<>();

  private final RequestTags requestTags = new RequestTags();
  private final SpringAi springAi = new SpringAi();
  private final Metrics metrics = new Metrics();
  private final Dedup dedup = new Dedup();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<Path> getCatalogs() {
    return catalogs;
  }

  public void setCatalogs(List<Path> catalogs) {
    this.catalogs = catalogs;
  }

  public Path getOverrides() {
    return overrides;
  }

  public void setOverrides(Path overrides) {
    this.overrides = overrides;
  }

  public boolean isBundledCatalog() {
    return bundledCatalog;
  }

  public void setBundledCatalog(boolean bundledCatalog) {
    this.bundledCatalog = bundledCatalog;
  }

  public UnknownModel getUnknownModel() {
    return unknownModel;
  }

  public void setUnknownModel(UnknownModel unknownModel) {
    this.unknownModel = unknownModel;
  }

  public Map<String, String> getDefaultTags() {
    return defaultTags;
  }

  public void setDefaultTags(Map<String, String> defaultTags) {
    this.defaultTags = defaultTags;
  }

  public Duration getClockResolution() {
    return clockResolution;
  }

  public void setClockResolution(Duration clockResolution) {
    this.clockResolution = clockResolution;
  }

  public SpanCostNames getSpanCostNames() {
    return spanCostNames;
  }

  public void setSpanCostNames(SpanCostNames spanCostNames) {
    this.spanCostNames = spanCostNames;
  }

  public List<BudgetProperties> getBudgets() {
    return budgets;
  }

  public void setBudgets(List<BudgetProperties> budgets) {
    this.budgets = budgets;
  }

  public RequestTags getRequestTags() {
    return requestTags;
  }

  public SpringAi getSpringAi() {
    return springAi;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  public Dedup getDedup() {
    return dedup;
  }

  /** What pricing does with an unknown model. */
  public enum UnknownModel {
    /** Throw where the call is recorded (integrations log it once and count it). */
    FAIL,
    /** Keep the usage in the ledger without a price, and count it. */
    RECORD_UNPRICED
  }

  /** The attribute names of the cost on spans. */
  public enum SpanCostNames {
    FINOPS,
    GEN_AI,
    BOTH
  }

  /** A budget's window. */
  public enum WindowKind {
    LIFETIME,
    DAILY,
    WEEKLY,
    MONTHLY,
    ROLLING
  }

  /** What a budget does with work whose cost cannot be estimated. */
  public enum UnknownCost {
    FAIL_CLOSED,
    FAIL_OPEN
  }

  /** One budget. */
  public static class BudgetProperties {
    /** The tag scope, {@code key=value}: {@code team=nlp}, {@code project=search}, {@code customer=acme}. */
    private String scope;

    /** The limit per window, an exact decimal ({@code "500.00"}): quote it in YAML. */
    private String limit;

    /** ISO 4217 currency of the limit. */
    private String currency = "USD";

    /** lifetime, daily, weekly, monthly (calendar periods in {@code zone}) or rolling (over {@code length}). */
    private WindowKind window;

    /** Time zone of a calendar window's periods. */
    private String zone = "UTC";

    /** Length of a rolling window. */
    private Duration length;

    /** Fractions of the limit ({@code "0.8"}) at which a threshold event is raised, once per period. */
    private List<String> notifyAt = new ArrayList<>();

    /** Fraction of the limit from which admitted calls are asked to wait {@code throttle-delay}. */
    private String throttleAt;

    /** How long throttled calls wait. */
    private Duration throttleDelay;

    /** Fraction of the limit at which running work (training runs) registered under the scope is stopped. */
    private String terminateAt;

    /** What happens to calls whose cost cannot be estimated: fail-closed (refused) or fail-open (admitted). */
    private UnknownCost unknownCost = UnknownCost.FAIL_CLOSED;

    public String getScope() {
      return scope;
    }

    public void setScope(String scope) {
      this.scope = scope;
    }

    public String getLimit() {
      return limit;
    }

    public void setLimit(String limit) {
      this.limit = limit;
    }

    public String getCurrency() {
      return currency;
    }

    public void setCurrency(String currency) {
      this.currency = currency;
    }

    public WindowKind getWindow() {
      return window;
    }

    public void setWindow(WindowKind window) {
      this.window = window;
    }

    public String getZone() {
      return zone;
    }

    public void setZone(String zone) {
      this.zone = zone;
    }

    public Duration getLength() {
      return length;
    }

    public void setLength(Duration length) {
      this.length = length;
    }

    public List<String> getNotifyAt() {
      return notifyAt;
    }

    public void setNotifyAt(List<String> notifyAt) {
      this.notifyAt = notifyAt;
    }

    public String getThrottleAt() {
      return throttleAt;
    }

    public void setThrottleAt(String throttleAt) {
      this.throttleAt = throttleAt;
    }

    public Duration getThrottleDelay() {
      return throttleDelay;
    }

    public void setThrottleDelay(Duration throttleDelay) {
      this.throttleDelay = throttleDelay;
    }

    public String getTerminateAt() {
      return terminateAt;
    }

    public void setTerminateAt(String terminateAt) {
      this.terminateAt = terminateAt;
    }

    public UnknownCost getUnknownCost() {
      return unknownCost;
    }

    public void setUnknownCost(UnknownCost unknownCost) {
      this.unknownCost = unknownCost;
    }
  }

  /** Tags taken from each HTTP request, carried to every call made while it is served. */
  public static class RequestTags {
    /** Tag name to request header: {@code team: X-Team}. */
    private Map<String, String> headers = new LinkedHashMap<>();

    /** The tag that takes the authenticated principal's name ({@code customer}, say); unset: none. */
    private String principal;

    public Map<String, String> getHeaders() {
      return headers;
    }

    public void setHeaders(Map<String, String> headers) {
      this.headers = headers;
    }

    public String getPrincipal() {
      return principal;
    }

    public void setPrincipal(String principal) {
      this.principal = principal;
    }
  }

  /** Spring AI. */
  public static class SpringAi {
    /** Whether Spring AI chat-model calls are priced and budgeted. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Metrics. */
  public static class Metrics {
    /** Whether finops' metrics are bound to the application's Micrometer registry. */
    private boolean micrometer = true;

    /**
     * Whether finops emits {@code gen_ai.client.token.usage}; unset: only where Spring AI does not
     * (Spring AI's own observation handler emits a counter of that name).
     */
    private Boolean tokenUsage;

    public boolean isMicrometer() {
      return micrometer;
    }

    public void setMicrometer(boolean micrometer) {
      this.micrometer = micrometer;
    }

    public Boolean getTokenUsage() {
      return tokenUsage;
    }

    public void setTokenUsage(Boolean tokenUsage) {
      this.tokenUsage = tokenUsage;
    }
  }

  /** How calls seen by two paths (an integration and the span exporter, say) are counted once. */
  public static class Dedup {
    /** How long response ids are remembered. */
    private Duration window = Duration.ofHours(1);

    /** How many response ids are remembered at most. */
    private long maxCalls = 100_000;

    public Duration getWindow() {
      return window;
    }

    public void setWindow(Duration window) {
      this.window = window;
    }

    public long getMaxCalls() {
      return maxCalls;
    }

    public void setMaxCalls(long maxCalls) {
      this.maxCalls = maxCalls;
    }
  }
}
