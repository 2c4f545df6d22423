package dev.finops.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Who spent it: the attribution of usage to an org, team, project, experiment, run, model, endpoint
 * and customer, plus up to {@value #MAX_CUSTOM_KEYS} custom keys. Immutable, with a cached hash, so a
 * {@code Tags} works as a map key on the hot path.
 *
 * <pre>{@code
 * Tags tags = Tags.builder().team("nlp").experiment("lr-sweep").run("run-42").build();
 * }</pre>
 */
public final class Tags {

  /** The standard attribution keys, in report order. */
  public enum Key {
    ORG("org"),
    TEAM("team"),
    PROJECT("project"),
    EXPERIMENT("experiment"),
    RUN("run"),
    MODEL("model"),
    ENDPOINT("endpoint"),
    CUSTOMER("customer");

    private final String tagName;

    Key(String tagName) {
      this.tagName = tagName;
    }

    /** The key as written in tags and reports ({@code "team"}). */
    public String tagName() {
      return tagName;
    }

    /** The standard key with this name, or {@code null}. */
    public static Key byName(String name) {
      for (Key k : values()) {
        if (k.tagName.equals(name)) {
          return k;
        }
      }
      return null;
    }
  }

  /** How many custom keys one tag set may carry. */
  public static final int MAX_CUSTOM_KEYS = 4;

  private static final Pattern CUSTOM_KEY = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  private static final int MAX_VALUE_LENGTH = 256;
  private static final Key[] KEYS = Key.values();

  /** No attribution. */
  public static final Tags EMPTY = new Tags(new String[KEYS.length], Collections.emptySortedMap());

  private final String[] standard; // indexed by Key.ordinal(); null = absent
  private final Map<String, String> custom; // sorted, unmodifiable
  private final int hash;

  private Tags(String[] standard, Map<String, String> custom) {
    this.standard = standard;
    this.custom = custom;
    this.hash = 31 * Arrays.hashCode(standard) + custom.hashCode();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tags from a map of names to values; names are the standard keys ({@code team}, {@code run}, ...)
   * or custom keys.
   *
   * @throws IllegalArgumentException naming the key for a bad key or value
   */
  public static Tags of(Map<String, String> tags) {
    Builder b = builder();
    tags.forEach(b::put);
    return b.build();
  }

  /** Tags from alternating names and values: {@code Tags.of("team", "nlp", "run", "r1")}. */
  public static Tags of(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("tags need name/value pairs, got an odd count: " + keysAndValues.length);
    }
    Builder b = builder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      b.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return b.build();
  }

  /** The value of a standard key, or {@code null}. */
  public String get(Key key) {
    return standard[key.ordinal()];
  }

  /** The value of a standard or custom key by name, or {@code null}. */
  public String get(String name) {
    Key k = Key.byName(name);
    return k != null ? standard[k.ordinal()] : custom.get(name);
  }

  public String org() {
    return get(Key.ORG);
  }

  public String team() {
    return get(Key.TEAM);
  }

  public String project() {
    return get(Key.PROJECT);
  }

  public String experiment() {
    return get(Key.EXPERIMENT);
  }

  public String run() {
    return get(Key.RUN);
  }

  public String model() {
    return get(Key.MODEL);
  }

  public String endpoint() {
    return get(Key.ENDPOINT);
  }

  public String customer() {
    return get(Key.CUSTOMER);
  }

  /** Custom keys and values, sorted by key. */
  public Map<String, String> custom() {
    return custom;
  }

  /** All tags as an ordered map: standard keys in {@link Key} order, then custom keys. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (Key k : KEYS) {
      if (standard[k.ordinal()] != null) {
        m.put(k.tagName, standard[k.ordinal()]);
      }
    }
    m.putAll(custom);
    return Collections.unmodifiableMap(m);
  }

  /** Only the named keys (standard or custom); the grouping key of a report. */
  public Tags select(Iterable<String> names) {
    Builder b = builder();
    for (String n : names) {
      String v = get(n);
      if (v != null) {
        b.put(n, v);
      }
    }
    return b.build();
  }

  /** These tags with {@code other}'s values added (other wins on conflicts). */
  public Tags with(Tags other) {
    Builder b = toBuilder();
    other.asMap().forEach(b::put);
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = builder();
    asMap().forEach(b::put);
    return b;
  }

  public boolean isEmpty() {
    return this.equals(EMPTY);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Tags)) {
      return false;
    }
    Tags t = (Tags) o;
    return hash == t.hash && Arrays.equals(standard, t.standard) && custom.equals(t.custom);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** {@code team=nlp,run=r1}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    asMap().forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(k).append('=').append(v);
    });
    return sb.length() == 0 ? "(untagged)" : sb.toString();
  }

  /** Builds {@link Tags}. Not thread-safe. */
  public static final class Builder {
    private final String[] standard = new String[KEYS.length];
    private final TreeMap<String, String> custom = new TreeMap<>();

    private Builder() {}

    public Builder org(String v) {
      return set(Key.ORG, v);
    }

    public Builder team(String v) {
      return set(Key.TEAM, v);
    }

    public Builder project(String v) {
      return set(Key.PROJECT, v);
    }

    public Builder experiment(String v) {
      return set(Key.EXPERIMENT, v);
    }

    public Builder run(String v) {
      return set(Key.RUN, v);
    }

    public Builder model(String v) {
      return set(Key.MODEL, v);
    }

    public Builder endpoint(String v) {
      return set(Key.ENDPOINT, v);
    }

    public Builder customer(String v) {
      return set(Key.CUSTOMER, v);
    }

    public Builder set(Key key, String value) {
      standard[key.ordinal()] = checkValue(key.tagName, value);
      return this;
    }

    /** A standard or custom key by name. */
    public Builder put(String name, String value) {
      Objects.requireNonNull(name, "tag name");
      Key k = Key.byName(name);
      if (k != null) {
        return set(k, value);
      }
      if (!CUSTOM_KEY.matcher(name).matches()) {
        throw new IllegalArgumentException("tag name '" + name + "' is neither a standard key ("
            + "org, team, project, experiment, run, model, endpoint, customer) nor a valid custom key "
            + "(lower case letters, digits, '_', '.', '-', starting with a letter)");
      }
      String v = checkValue(name, value);
      if (!custom.containsKey(name) && custom.size() >= MAX_CUSTOM_KEYS) {
        throw new IllegalArgumentException("tag '" + name + "': at most " + MAX_CUSTOM_KEYS
            + " custom keys per tag set (have " + custom.keySet() + ")");
      }
      custom.put(name, v);
      return this;
    }

    private static String checkValue(String name, String value) {
      Objects.requireNonNull(value, () -> "tag '" + name + "' value");
      if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
        throw new IllegalArgumentException("tag '" + name + "' value must be 1 to " + MAX_VALUE_LENGTH
            + " characters, got " + value.length());
      }
      return value;
    }

    public Tags build() {
      return new Tags(standard.clone(), Collections.unmodifiableSortedMap(new TreeMap<>(custom)));
    }
  }
}
