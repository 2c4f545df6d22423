package dev.finops.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonField;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import dev.finops.otel.PromptBytes;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Upper bounds of a request's tokens, for the budget reservation made before it is sent. Byte-level BPE
 * (every OpenAI tokenizer) never makes more tokens of a text than it has UTF-8 bytes, so the bound of
 * the prompt is the UTF-8 byte count of every text the request carries (message contents, names,
 * tool-call arguments, instructions), plus {@value #PER_MESSAGE} tokens per message for the chat
 * format, plus the byte count of the JSON of tool definitions and response formats and {@value
 * #TOOLS_OVERHEAD} tokens for their preamble. Where the prompt holds what text does not bound (an image,
 * audio, a file, a reasoning item, an earlier response or conversation, a stored prompt, a hosted tool
 * that adds content), the bound is -1: not computable, and the budget's unknown-cost policy decides.
 */
final class RequestBounds {
  static final int PER_MESSAGE = 8;
  static final int TOOLS_OVERHEAD = 64;

  /** Content and item types made of text only. */
  private static final Set<String> TEXT_TYPES = Set.of("text", "refusal", "function", "custom", "message",
      "input_text", "output_text", "function_call", "function_call_output", "custom_tool_call",
      "custom_tool_call_output");
  /** Tools that are only their definition (hosted tools such as file search add content of their own). */
  private static final Set<String> DEFINITION_TOOLS = Set.of("function", "custom");
  /** Keys of structure, not text, whose values the model sees as part of the per-message overhead. */
  private static final Set<String> STRUCTURE_KEYS = Set.of("role", "type", "id", "tool_call_id", "call_id",
      "status");

  private RequestBounds() {}

  /** The prompt bound of a chat completion request, or -1. Deprecated fields still cost tokens. */
  @SuppressWarnings("deprecation")
  static long chatInput(ChatCompletionCreateParams p) {
    try {
      long total = messages(tree(p._messages()));
      if (total < 0) {
        return -1;
      }
      long defs = definitions(p._tools(), p._functions(), p._responseFormat());
      return defs < 0 ? -1 : Math.addExact(total, defs);
    } catch (RuntimeException notComputable) {
      return -1;
    }
  }

  /** {@code max_completion_tokens}, else the deprecated {@code max_tokens}, times {@code n}; or -1. */
  @SuppressWarnings("deprecation")
  static long chatMaxOutput(ChatCompletionCreateParams p) {
    try {
      Optional<Long> max = p._maxCompletionTokens().asKnown();
      if (max.isEmpty()) {
        max = p._maxTokens().asKnown();
      }
      if (max.isEmpty() || max.get() < 0) {
        return -1;
      }
      long n = p._n().asKnown().orElse(1L);
      return n <= 1 ? max.get() : Math.multiplyExact(max.get(), n);
    } catch (RuntimeException notComputable) {
      return -1;
    }
  }

  /** The prompt bound of a Responses API request, or -1. */
  static long responsesInput(ResponseCreateParams p) {
    try {
      if (present(p._previousResponseId()) || present(p._conversation()) || present(p._prompt())) {
        return -1; // the prompt includes what the server keeps
      }
      long total = 0;
      Optional<String> instructions = p._instructions().asKnown();
      if (instructions.isPresent()) {
        total = PromptBytes.utf8Length(instructions.get()) + PER_MESSAGE;
      } else if (present(p._instructions())) {
        return -1;
      }
      if (present(p._input())) {
        JsonNode input = tree(p._input());
        long in = input.isTextual() ? PromptBytes.utf8Length(input.asText()) + PER_MESSAGE : messages(input);
        if (in < 0) {
          return -1;
        }
        total = Math.addExact(total, in);
      }
      long defs = definitions(p._tools(), null, p._text());
      return defs < 0 ? -1 : Math.addExact(total, defs);
    } catch (RuntimeException notComputable) {
      return -1;
    }
  }

  /** {@code max_output_tokens}, or -1. */
  static long responsesMaxOutput(ResponseCreateParams p) {
    try {
      return p._maxOutputTokens().asKnown().filter(m -> m >= 0).orElse(-1L);
    } catch (RuntimeException notComputable) {
      return -1;
    }
  }

  /** The input bound of an embeddings request: text bytes, or the given token ids; or -1. */
  static long embeddingsInput(EmbeddingCreateParams p) {
    try {
      return embeddingInput(tree(p._input()));
    } catch (RuntimeException notComputable) {
      return -1;
    }
  }

  private static long embeddingInput(JsonNode n) {
    if (n.isTextual()) {
      return PromptBytes.utf8Length(n.asText());
    }
    if (n.isIntegralNumber()) {
      return 1; // a token id
    }
    if (n.isArray()) {
      long total = 0;
      for (JsonNode e : n) {
        long b = embeddingInput(e);
        if (b < 0) {
          return -1;
        }
        total = Math.addExact(total, b);
      }
      return total;
    }
    return -1;
  }

  /** A list of messages or input items: the text of each plus {@value #PER_MESSAGE}; or -1. */
  private static long messages(JsonNode list) {
    if (!list.isArray()) {
      return -1;
    }
    long total = 0;
    for (JsonNode m : list) {
      long b = text(m);
      if (b < 0) {
        return -1;
      }
      total = Math.addExact(total, b + PER_MESSAGE);
    }
    return total;
  }

  /**
   * The UTF-8 bytes of every text in a message or item, or -1 if it holds anything but text. ({@code
   * fields()}, deprecated in recent Jackson, is in every 2.x version the SDK may run with.)
   */
  @SuppressWarnings("deprecation")
  private static long text(JsonNode n) {
    if (n.isTextual()) {
      return PromptBytes.utf8Length(n.asText());
    }
    if (n.isNull() || n.isMissingNode()) {
      return 0;
    }
    if (n.isValueNode()) {
      return n.asText().length();
    }
    long total = 0;
    if (n.isObject()) {
      JsonNode type = n.get("type");
      if (type != null && (!type.isTextual() || !TEXT_TYPES.contains(type.asText()))) {
        return -1; // an image, audio, a file, a reasoning item, an item reference, ...
      }
      if (n.has("audio")) {
        return -1; // an assistant message referring to earlier audio
      }
      Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (STRUCTURE_KEYS.contains(f.getKey())) {
          continue;
        }
        long b = text(f.getValue());
        if (b < 0) {
          return -1;
        }
        total = Math.addExact(total, b);
      }
      return total;
    }
    for (JsonNode e : n) {
      long b = text(e);
      if (b < 0) {
        return -1;
      }
      total = Math.addExact(total, b);
    }
    return total;
  }

  /**
   * The JSON bytes of tool and function definitions and of the response format, plus the preamble when
   * there are any; -1 for a hosted tool.
   */
  private static long definitions(JsonField<?> tools, JsonField<?> functions, JsonField<?> format) {
    long total = 0;
    if (present(tools)) {
      JsonNode t = tree(tools);
      for (JsonNode tool : t) {
        JsonNode type = tool.get("type");
        if (type == null || !DEFINITION_TOOLS.contains(type.asText())) {
          return -1;
        }
      }
      total = Math.addExact(total, jsonBytes(t));
    }
    if (functions != null && present(functions)) {
      total = Math.addExact(total, jsonBytes(tree(functions)));
    }
    if (present(format)) {
      total = Math.addExact(total, jsonBytes(tree(format)));
    }
    return total == 0 ? 0 : Math.addExact(total, TOOLS_OVERHEAD);
  }

  private static boolean present(JsonField<?> field) {
    return !field.isMissing() && !field.isNull();
  }

  private static JsonNode tree(JsonField<?> field) {
    return ObjectMappers.jsonMapper().valueToTree(field);
  }

  private static long jsonBytes(JsonNode n) {
    return PromptBytes.utf8Length(n.toString());
  }

}
