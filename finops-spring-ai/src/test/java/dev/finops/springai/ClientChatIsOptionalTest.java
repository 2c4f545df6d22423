package dev.finops.springai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code spring-ai-client-chat} is optional: an application may run a {@code ChatModel} without a
 * {@code ChatClient}. Only the advisor may refer to its classes; the handlers and everything they load
 * must not, or recording fails with {@code NoClassDefFoundError} there (the handlers construct the
 * advisor in {@code streamUsageAdvisor()} only, and take its stream keys through {@link StreamKeys}).
 * Read from the compiled classes' constant pools, where every class a class refers to is named.
 */
class ClientChatIsOptionalTest {

  @Test
  void onlyTheAdvisorRefersToChatClientClasses() throws Exception {
    Path dir = Path.of(FinOpsObservationHandlers.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("dev/finops/springai");
    List<Path> classes;
    try (Stream<Path> files = Files.list(dir)) {
      classes = files.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertThat(classes).extracting(p -> p.getFileName().toString())
        .contains("FinOpsObservationHandlers.class", "StreamKeys.class", "FinOpsStreamUsageAdvisor.class");
    assertThat(classes).filteredOn(ClientChatIsOptionalTest::refersToChatClient)
        .extracting(p -> p.getFileName().toString())
        .allMatch(name -> name.startsWith("FinOpsStreamUsageAdvisor"))
        .isNotEmpty(); // the check itself sees a reference where there is one
  }

  private static boolean refersToChatClient(Path classFile) {
    try {
      return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
          .contains("org/springframework/ai/chat/client/");
    } catch (IOException e) {
      throw new IllegalStateException(classFile.toString(), e);
    }
  }
}
