package dev.finops.springai;

import java.util.List;
import java.util.UUID;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The key under which the {@link FinOpsStreamUsageAdvisor} keeps a stream's native usage when the
 * provider's chunks carry no response id (Spring AI 1.1's Gemini model drops it): put in the metadata
 * of the request's last message, which Spring AI does not send and which the model's observation
 * context still holds when the recorder reads it. The recorder takes it out: the advisor cannot, since
 * its thread may see the stream end before the model's observation stops.
 *
 * <p>Kept apart from the advisor so that the recorder never loads {@code spring-ai-client-chat}
 * classes: an application with a {@code ChatModel} and no {@code ChatClient} may lack them.
 */
final class StreamKeys {
  static final String METADATA_KEY = "finops.stream-key";
  private static final String PREFIX = "finops-stream-";

  private StreamKeys() {}

  /** Puts a new key on the prompt's last message: the key, or {@code null} when there is none to put it on. */
  static String put(Prompt prompt) {
    Message last = last(prompt);
    if (last == null) {
      return null;
    }
    String key = PREFIX + UUID.randomUUID();
    try {
      last.getMetadata().put(METADATA_KEY, key);
      return key;
    } catch (UnsupportedOperationException immutable) {
      return null;
    }
  }

  /** Takes the key off the prompt's last message: the key, or {@code null} when the advisor put none. */
  static String take(Prompt prompt) {
    Message last = last(prompt);
    Object key = last == null ? null : last.getMetadata().get(METADATA_KEY);
    if (key instanceof String k && k.startsWith(PREFIX)) {
      last.getMetadata().remove(METADATA_KEY, k);
      return k;
    }
    return null;
  }

  private static Message last(Prompt prompt) {
    List<Message> messages = prompt == null ? List.of() : prompt.getInstructions();
    return messages.isEmpty() ? null : messages.get(messages.size() - 1);
  }
}
