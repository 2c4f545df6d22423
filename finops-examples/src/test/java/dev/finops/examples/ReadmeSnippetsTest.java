package dev.finops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of the repository's {@code README.md} against this module's test
 * classpath, so the README only ever shows code that compiles against the real APIs. A snippet that does
 * not compile fails the test with {@code README.md:LINE: message}, LINE being the README's own line.
 *
 * <h2>The convention</h2>
 *
 * <ul>
 *   <li>Each {@code ```java} block is compiled on its own, in a class of its own. {@code ```xml}, {@code
 *       ```sh} and other blocks are not read.
 *   <li><b>Body or members.</b> A block whose first line of code starts a declaration, an annotation
 *       ({@code @Configuration}, {@code @Bean}) or {@code class} / {@code interface} / {@code record} /
 *       {@code enum} (with modifiers), is compiled as members of the class: Spring configuration
 *       classes, bean methods. Any other block is compiled as the body of a method {@code void snippet()
 *       throws Exception} of that class: statements, local variables, local interfaces and records.
 *   <li><b>Imports.</b> {@link #DEFAULT_IMPORTS} are always there: the packages of {@code finops-core}
 *       and {@code finops-otel}, and a few of the JDK's.
 *   <li><b>What the snippet takes as given</b>, and other imports, go in a hidden HTML comment on the
 *       line (or lines) right before the fence, opened by {@code <!-- snippet} and closed by {@code
 *       -->}. Inside it, each {@code import ...;} line is an import; every other line is copied into the
 *       class as a member, typically a field the snippet uses without declaring it:
 *       <pre>
 * &lt;!-- snippet
 * import dev.langchain4j.model.openai.OpenAiChatModel;
 * FinOps finops;
 * Usage usage;
 * --&gt;
 * ```java
 * ...
 * ```</pre>
 *       GitHub does not render the comment. Fields are not final and start null, so a snippet may
 *       read them and may also declare a local variable of the same name.
 *   <li>The classpath is this module's test classpath: add a test-scoped dependency to {@code
 *       finops-examples/pom.xml} when a snippet shows another library.
 * </ul>
 */
class ReadmeSnippetsTest {

  /** Imported by every snippet. Explicit imports in a snippet's comment win over these on a clash. */
  static final List<String> DEFAULT_IMPORTS = List.of(
      "dev.finops.core.*",
      "dev.finops.core.budget.*",
      "dev.finops.core.catalog.*",
      "dev.finops.core.gpu.*",
      "dev.finops.core.journal.*",
      "dev.finops.core.ledger.*",
      "dev.finops.core.pricing.*",
      "dev.finops.core.report.*",
      "dev.finops.core.training.*",
      "dev.finops.otel.*",
      "io.opentelemetry.context.Scope",
      "java.math.BigDecimal",
      "java.nio.file.Path",
      "java.time.Duration",
      "java.time.Instant",
      "java.time.ZoneId",
      "java.util.List",
      "java.util.Map");

  private static final Path README = Path.of("..", "README.md");
  private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z0-9_+-]*)\\s*$");
  private static final Pattern DECLARATION = Pattern.compile(
      "^(@|((public|protected|private|static|final|abstract|sealed|non-sealed)\\s+)*(class|interface|record|enum)\\s)");

  @TempDir
  Path out;

  /** One {@code ```java} block: where it is, what it takes as given, its code. */
  record Snippet(int firstLine, List<String> imports, List<String> members, List<String> code) {
    String className() {
      return "ReadmeLine" + firstLine;
    }

    boolean isMembers() {
      for (String line : code) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("//")) {
          continue;
        }
        return DECLARATION.matcher(t).find();
      }
      return false;
    }
  }

  /** A generated source and, per line of it, the README line it came from (0: generated). */
  record Source(Snippet snippet, String text, int[] readmeLines) {}

  @Test
  void everyJavaSnippetOfTheReadmeCompiles() throws IOException {
    List<Snippet> snippets = snippets(Files.readAllLines(README, StandardCharsets.UTF_8));
    assertThat(snippets).as("java snippets in " + README.toAbsolutePath().normalize()).isNotEmpty();
    List<Source> sources = new ArrayList<>();
    for (Snippet s : snippets) {
      sources.add(source(s));
    }
    List<String> errors = compile(sources);
    assertThat(errors).as("README.md snippets that do not compile").isEmpty();
  }

  @Test
  void aSnippetThatDoesNotCompileIsReportedAtItsReadmeLine() throws IOException {
    List<String> readme = List.of(
        "# title",
        "<!-- snippet",
        "FinOps finops;",
        "-->",
        "```java",
        "Tags tags = Tags.builder().team(\"nlp\").build();",
        "finops.noSuchMethod(tags);",
        "```",
        "```java",
        "@SuppressWarnings(\"unused\")",
        "class Config {",
        "  FinOps finops() { return FinOps.builder().build(); }",
        "}",
        "```");
    List<Snippet> snippets = snippets(readme);
    assertThat(snippets).hasSize(2);
    assertThat(snippets.get(0).isMembers()).isFalse();
    assertThat(snippets.get(1).isMembers()).isTrue();

    List<String> errors = compile(List.of(source(snippets.get(0)), source(snippets.get(1))));

    assertThat(errors).singleElement().satisfies(e -> assertThat(e).startsWith("README.md:7: ").contains("noSuchMethod"));
  }

  /** The {@code ```java} blocks of {@code lines}, with their hidden {@code <!-- snippet ... -->} comments. */
  static List<Snippet> snippets(List<String> lines) {
    List<Snippet> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int close = i + 1;
      while (close < lines.size() && !lines.get(close).strip().startsWith("```")) {
        close++;
      }
      if (open.group(1).toLowerCase(Locale.ROOT).equals("java")) {
        List<String> imports = new ArrayList<>();
        List<String> members = new ArrayList<>();
        header(lines, i, imports, members);
        out.add(new Snippet(i + 2, imports, members, lines.subList(i + 1, Math.min(close, lines.size()))));
      }
      i = close;
    }
    return out;
  }

  /** Reads the {@code <!-- snippet ... -->} comment that ends on the line before the fence at {@code fence}. */
  private static void header(List<String> lines, int fence, List<String> imports, List<String> members) {
    if (fence == 0 || !lines.get(fence - 1).strip().endsWith("-->")) {
      return;
    }
    int start = fence - 1;
    while (start >= 0 && !lines.get(start).strip().startsWith("<!--")) {
      start--;
    }
    if (start < 0 || !lines.get(start).strip().startsWith("<!-- snippet")) {
      return;
    }
    List<String> body = new ArrayList<>(lines.subList(start, fence));
    body.set(0, body.get(0).strip().substring("<!-- snippet".length()));
    int last = body.size() - 1;
    String end = body.get(last).strip();
    body.set(last, end.substring(0, end.length() - "-->".length()));
    for (String line : body) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      (t.startsWith("import ") ? imports : members).add(t);
    }
  }

  /** The compilation unit of {@code s}: package {@code readme}, imports, class, members, code. */
  static Source source(Snippet s) {
    List<String> text = new ArrayList<>();
    List<Integer> origin = new ArrayList<>();
    text.add("package readme;");
    for (String i : DEFAULT_IMPORTS) {
      text.add("import " + i + ";");
    }
    text.addAll(s.imports());
    text.add("@SuppressWarnings(\"all\")");
    text.add("abstract class " + s.className() + " {");
    text.addAll(s.members());
    while (origin.size() < text.size()) {
      origin.add(0);
    }
    boolean members = s.isMembers();
    if (!members) {
      text.add("void snippet() throws Exception {");
      origin.add(0);
    }
    for (int k = 0; k < s.code().size(); k++) {
      text.add(s.code().get(k));
      origin.add(s.firstLine() + k);
    }
    if (!members) {
      text.add("}");
      origin.add(0);
    }
    text.add("}");
    origin.add(0);
    return new Source(s, String.join("\n", text) + "\n", origin.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Compiles the sources together; returns one {@code README.md:LINE: message} per error. */
  List<String> compile(List<Source> sources) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK's compiler (the tests run on a JRE?)").isNotNull();
    List<JavaFileObject> units = new ArrayList<>();
    for (Source s : sources) {
      units.add(new SimpleJavaFileObject(URI.create("string:///readme/" + s.snippet().className() + ".java"),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return s.text();
        }
      });
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter log = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      List<String> options = List.of("-classpath", classpath(), "-d", out.toString(), "-proc:none",
          "--release", "17", "-Xlint:none", "-nowarn");
      javac.getTask(log, files, diagnostics, options, null, units).call();
    }
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      Source source = sources.stream()
          .filter(s -> d.getSource() != null && d.getSource().toUri().getPath().endsWith("/" + s.snippet().className() + ".java"))
          .findFirst().orElse(null);
      int line = (int) d.getLineNumber();
      int readmeLine = source == null || line < 1 || line > source.readmeLines().length ? 0
          : source.readmeLines()[line - 1];
      String where = readmeLine > 0 ? "README.md:" + readmeLine
          : "README.md:" + (source == null ? "?" : source.snippet().firstLine()) + " (generated line " + line + ")";
      errors.add(where + ": " + d.getMessage(Locale.ROOT));
    }
    if (errors.isEmpty() && !log.toString().isBlank() && log.toString().contains("error")) {
      errors.add("javac: " + log);
    }
    return errors;
  }

  /**
   * The test classpath: Surefire's {@code surefire.test.class.path} when set, else {@code java.class.path},
   * with the {@code Class-Path} of a manifest-only jar expanded.
   */
  static String classpath() throws IOException {
    String raw = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Set<String> entries = new LinkedHashSet<>();
    for (String entry : raw.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      entries.add(entry);
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        try (JarFile jar = new JarFile(p.toFile())) {
          Manifest m = jar.getManifest();
          String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
          if (cp != null) {
            for (String ref : cp.trim().split("\\s+")) {
              entries.add(Path.of(p.getParent().toUri().resolve(ref)).toString());
            }
          }
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
