package dev.finops.langchain4j;

import dev.finops.otel.PromptBytes;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import java.util.List;

/**
 * Upper bounds of a chat request's tokens, for the budget reservation made before it is sent.
 *
 * <p>The prompt: byte-level BPE tokenizers (OpenAI's, Anthropic's) never make more tokens of a text
 * than it has UTF-8 bytes, so the bound is the UTF-8 byte count of every text sent plus {@value
 * #PER_MESSAGE} tokens per message for the chat template's role and separator tokens. It is unknown
 * (-1) when the request sends what has no text bound: images, audio, video or PDF content, tool
 * definitions, a JSON schema response format, custom messages.
 */
final class RequestBounds {
  /** Template tokens allowed per message (OpenAI's chat format spends 3 to 4, plus 3 to prime the reply). */
  static final int PER_MESSAGE = 8;

  private RequestBounds() {}

  /** An upper bound of the prompt's tokens, or -1 when none can be computed. */
  static long inputTokens(ChatRequest request) {
    try {
      ChatRequestParameters p = request.parameters();
      if (p != null) {
        List<?> tools = p.toolSpecifications();
        if (tools != null && !tools.isEmpty()) {
          return -1;
        }
        ResponseFormat format = p.responseFormat();
        if (format != null && format.jsonSchema() != null) {
          return -1;
        }
      }
      List<ChatMessage> messages = request.messages();
      long total = 0;
      for (int i = 0, n = messages.size(); i < n; i++) {
        long b = bytes(messages.get(i));
        if (b < 0) {
          return -1;
        }
        total += b + PER_MESSAGE;
      }
      return total;
    } catch (RuntimeException | LinkageError unreadable) {
      return -1;
    }
  }

  /** The request's maximum output tokens ({@code max_tokens}, or OpenAI's {@code max_completion_tokens}), or -1. */
  static long maxOutputTokens(ChatRequest request) {
    ChatRequestParameters p = request.parameters();
    if (p == null) {
      return -1;
    }
    Integer max = p.maxOutputTokens();
    if (ProviderClasses.OPENAI) {
      try {
        Integer completion = OpenAiSupport.maxCompletionTokens(p);
        if (completion != null && (max == null || completion > max)) {
          max = completion;
        }
      } catch (LinkageError otherVersion) {
        // max_tokens only
      }
    }
    return max == null || max < 0 ? -1 : max;
  }

  private static long bytes(ChatMessage m) {
    if (m instanceof SystemMessage) {
      return PromptBytes.utf8Length(((SystemMessage) m).text());
    }
    if (m instanceof UserMessage) {
      UserMessage u = (UserMessage) m;
      long b = PromptBytes.utf8Length(u.name());
      return add(b, contents(u.contents()));
    }
    if (m instanceof AiMessage) {
      AiMessage a = (AiMessage) m;
      if (!a.images().isEmpty()) {
        return -1;
      }
      long b = PromptBytes.utf8Length(a.text()) + PromptBytes.utf8Length(a.thinking());
      List<ToolExecutionRequest> calls = a.toolExecutionRequests();
      if (calls != null) {
        for (ToolExecutionRequest call : calls) {
          b += PromptBytes.utf8Length(call.id()) + PromptBytes.utf8Length(call.name())
              + PromptBytes.utf8Length(call.arguments());
        }
      }
      return b;
    }
    if (m instanceof ToolExecutionResultMessage) {
      ToolExecutionResultMessage r = (ToolExecutionResultMessage) m;
      long b = PromptBytes.utf8Length(r.id()) + PromptBytes.utf8Length(r.toolName());
      return add(b, contents(r.contents()));
    }
    return -1; // custom messages, or message types this version does not know
  }

  private static long contents(List<Content> contents) {
    if (contents == null) {
      return 0;
    }
    long b = 0;
    for (Content c : contents) {
      if (!(c instanceof TextContent)) {
        return -1;
      }
      b += PromptBytes.utf8Length(((TextContent) c).text());
    }
    return b;
  }

  private static long add(long a, long b) {
    return b < 0 ? -1 : a + b;
  }

}
