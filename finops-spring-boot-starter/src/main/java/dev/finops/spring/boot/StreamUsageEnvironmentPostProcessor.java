package dev.finops.spring.boot;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Asks Spring AI's OpenAI chat model for stream usage ({@code
 * spring.ai.openai.chat.options.stream-usage=true}) unless the application says otherwise: OpenAI
 * reports a stream's usage only when asked, and a stream without usage cannot be priced. The default
 * goes last, below every property source of the application; {@code finops.spring-ai.stream-usage=false}
 * (or {@code finops.enabled=false}) leaves Spring AI's own default.
 */
public class StreamUsageEnvironmentPostProcessor implements EnvironmentPostProcessor {
  static final String STREAM_USAGE = "spring.ai.openai.chat.options.stream-usage";
  static final String SOURCE = "finopsDefaults";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getProperty("finops.enabled", Boolean.class, true)
        || !environment.getProperty("finops.spring-ai.stream-usage", Boolean.class, true)
        || environment.containsProperty(STREAM_USAGE)) {
      return;
    }
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(STREAM_USAGE, "true")));
  }
}
