package dev.finops.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The listener with langchain4j-core and no provider module (Mistral, say): plain counts, no linkage error. */
class CoreOnlyTest {

  @Test
  void worksWithoutTheOpenAiAndAnthropicModules() throws Exception {
    List<URL> urls = new ArrayList<>();
    int dropped = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = new File(entry).getName();
      if (name.startsWith("langchain4j-open-ai") || name.startsWith("langchain4j-anthropic")) {
        dropped++;
        continue;
      }
      if (name.startsWith("opentelemetry-sdk-testing")) {
        continue; // its context storage provider is for the test class loader
      }
      urls.add(new File(entry).toURI().toURL());
    }
    assertThat(dropped).as("the provider jars on the test class path").isEqualTo(2);
    try (URLClassLoader coreOnly = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThat(coreOnly.getResource("dev/langchain4j/model/openai/OpenAiTokenUsage.class")).isNull();
      Class<?> scenario = Class.forName(CoreOnlyScenario.class.getName(), true, coreOnly);
      assertThat(scenario.getClassLoader()).isSameAs(coreOnly);
      @SuppressWarnings("unchecked")
      Supplier<String> run = (Supplier<String>) scenario.getConstructor().newInstance();
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      String[] out;
      thread.setContextClassLoader(coreOnly); // service lookups (OpenTelemetry's context storage) in that loader
      try {
        out = run.get().split(" ");
      } finally {
        thread.setContextClassLoader(previous);
      }
      assertThat(out[0]).isEqualTo("false");
      assertThat(out[1]).isEqualTo("false");
      assertThat(out[2]).isEqualTo("1");
      // mistral-small-2506: 1,000 x $0.10 + 200 x $0.30 per million.
      assertThat(new BigDecimal(out[3])).isEqualByComparingTo("0.00016");
      assertThat(out[4]).isEqualTo("0");
    }
  }
}
