package dev.finops.openai;

import com.openai.core.JsonField;
import com.openai.models.ChatModel;
import com.openai.models.ResponsesModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.StructuredResponse;
import com.openai.models.responses.StructuredResponseCreateParams;
import dev.finops.core.Usage;
import java.util.Optional;

/**
 * The kinds of model calls the wrapper accounts for, each knowing how to read its request (the model
 * and the token bounds for the budget) and its response (id, model, usage), streamed or not. Nothing
 * here throws on odd data: a reading that fails gives an {@link Outcome} with a problem.
 */
abstract class Operation {
  static final Operation CHAT = new Chat();
  static final Operation RESPONSES = new Responses();
  static final Operation EMBEDDINGS = new Embeddings();

  /** The model a request named when it names none that can be read. */
  static final String UNKNOWN_MODEL = "unknown";

  private final String name;

  private Operation(String name) {
    this.name = name;
  }

  /** The GenAI operation name ({@code chat}, {@code embeddings}). */
  final String name() {
    return name;
  }

  /** What the budget and the ModelCall need from a request. */
  abstract Request request(Object params);

  /** The id, model and usage of a (non-streamed) response. */
  abstract Outcome outcome(Object response);

  /** A fresh observer of one streamed call's events; {@code null} where the operation does not stream. */
  abstract StreamState stream();

  /** The request's model and bounds (-1 when unknown). */
  record Request(String model, long inputTokensBound, long maxOutputTokens) {}

  /** What one response said: any part may be {@code null}; {@code problem} when reading it failed. */
  record Outcome(String id, String model, Usage usage, RuntimeException problem) {
    static Outcome failed(String id, String model, RuntimeException problem) {
      return new Outcome(id, model, null, problem);
    }
  }

  /** Follows one streamed call: remembers the id, model and usage as events pass. */
  interface StreamState {
    /** Observes an event; never throws (a failure is kept for {@link #outcome()}). */
    void observe(Object event);

    /** What the events seen so far say; usage {@code null} when none came. */
    Outcome outcome();
  }

  static String known(JsonField<String> field) {
    return field.asKnown().orElse(null);
  }

  // ---- chat completions ---------------------------------------------------------------------------

  private static final class Chat extends Operation {
    Chat() {
      super("chat");
    }

    @Override
    Request request(Object params) {
      ChatCompletionCreateParams p = params instanceof StructuredChatCompletionCreateParams
          ? ((StructuredChatCompletionCreateParams<?>) params).rawParams()
          : (ChatCompletionCreateParams) params;
      String model = p._model().asKnown().map(ChatModel::asString).orElse(UNKNOWN_MODEL);
      return new Request(model, RequestBounds.chatInput(p), RequestBounds.chatMaxOutput(p));
    }

    @Override
    Outcome outcome(Object response) {
      ChatCompletion c = response instanceof StructuredChatCompletion
          ? ((StructuredChatCompletion<?>) response).rawChatCompletion()
          : (ChatCompletion) response;
      String id = null;
      String model = null;
      try {
        id = known(c._id());
        model = known(c._model());
        String tier = c._serviceTier().asKnown().map(ChatCompletion.ServiceTier::asString).orElse(null);
        Optional<CompletionUsage> usage = c._usage().asKnown();
        return new Outcome(id, model, usage.map(u -> OpenAIUsage.chat(u, tier)).orElse(null), null);
      } catch (RuntimeException e) {
        return Outcome.failed(id, model, e);
      }
    }

    @Override
    StreamState stream() {
      return new ChatStream();
    }
  }

  /**
   * A chat completion stream: every chunk has the id and model; the usage comes, when the request set
   * {@code stream_options.include_usage}, in a last chunk with no choices (earlier chunks carry {@code
   * "usage": null}).
   */
  private static final class ChatStream implements StreamState {
    private String id;
    private String model;
    private String tier;
    private CompletionUsage usage;
    private RuntimeException problem;

    @Override
    public synchronized void observe(Object event) {
      try {
        ChatCompletionChunk chunk = (ChatCompletionChunk) event;
        if (id == null) {
          id = known(chunk._id());
        }
        String m = known(chunk._model());
        if (m != null) {
          model = m;
        }
        Optional<ChatCompletionChunk.ServiceTier> t = chunk._serviceTier().asKnown();
        if (t.isPresent()) {
          tier = t.get().asString();
        }
        Optional<CompletionUsage> u = chunk._usage().asKnown();
        if (u.isPresent()) {
          usage = u.get();
        }
      } catch (RuntimeException e) {
        problem = e;
      }
    }

    @Override
    public synchronized Outcome outcome() {
      if (usage == null) {
        return new Outcome(id, model, null, problem);
      }
      try {
        return new Outcome(id, model, OpenAIUsage.chat(usage, tier), null);
      } catch (RuntimeException e) {
        return Outcome.failed(id, model, e);
      }
    }
  }

  // ---- responses ----------------------------------------------------------------------------------

  private static final class Responses extends Operation {
    Responses() {
      super("chat");
    }

    @Override
    Request request(Object params) {
      ResponseCreateParams p = params == null ? ResponseCreateParams.none()
          : params instanceof StructuredResponseCreateParams
              ? ((StructuredResponseCreateParams<?>) params).rawParams()
              : (ResponseCreateParams) params;
      String model = p._model().asKnown().map(Operation::modelName).orElse(UNKNOWN_MODEL);
      return new Request(model, RequestBounds.responsesInput(p), RequestBounds.responsesMaxOutput(p));
    }

    @Override
    Outcome outcome(Object response) {
      Response r = response instanceof StructuredResponse
          ? ((StructuredResponse<?>) response).rawResponse()
          : (Response) response;
      return responseOutcome(r);
    }

    @Override
    StreamState stream() {
      return new ResponsesStream();
    }
  }

  static Outcome responseOutcome(Response r) {
    String id = null;
    String model = null;
    try {
      id = known(r._id());
      model = r._model().asKnown().map(Operation::modelName).orElse(null);
      String tier = r._serviceTier().asKnown().map(Response.ServiceTier::asString).orElse(null);
      Optional<ResponseUsage> usage = r._usage().asKnown();
      return new Outcome(id, model, usage.map(u -> OpenAIUsage.responses(u, tier)).orElse(null), null);
    } catch (RuntimeException e) {
      return Outcome.failed(id, model, e);
    }
  }

  /**
   * A Responses API stream: {@code response.created} names the response; {@code response.completed}
   * (or {@code response.incomplete}, {@code response.failed}) carries the whole response with its usage.
   */
  private static final class ResponsesStream implements StreamState {
    private Outcome last = new Outcome(null, null, null, null);

    @Override
    public synchronized void observe(Object event) {
      try {
        ResponseStreamEvent e = (ResponseStreamEvent) event;
        Response r = null;
        if (e.isCreated()) {
          r = e.asCreated()._response().asKnown().orElse(null);
        } else if (e.isInProgress()) {
          r = e.asInProgress()._response().asKnown().orElse(null);
        } else if (e.isCompleted()) {
          r = e.asCompleted()._response().asKnown().orElse(null);
        } else if (e.isIncomplete()) {
          r = e.asIncomplete()._response().asKnown().orElse(null);
        } else if (e.isFailed()) {
          r = e.asFailed()._response().asKnown().orElse(null);
        }
        if (r != null) {
          Outcome o = responseOutcome(r);
          if (o.usage() != null || last.usage() == null) {
            last = new Outcome(o.id() != null ? o.id() : last.id(), o.model() != null ? o.model() : last.model(),
                o.usage(), o.problem());
          }
        }
      } catch (RuntimeException e) {
        last = Outcome.failed(last.id(), last.model(), e);
      }
    }

    @Override
    public synchronized Outcome outcome() {
      return last;
    }
  }

  // ---- embeddings ---------------------------------------------------------------------------------

  private static final class Embeddings extends Operation {
    Embeddings() {
      super("embeddings");
    }

    @Override
    Request request(Object params) {
      EmbeddingCreateParams p = (EmbeddingCreateParams) params;
      String model = p._model().asKnown().map(EmbeddingModel::asString).orElse(UNKNOWN_MODEL);
      return new Request(model, RequestBounds.embeddingsInput(p), 0);
    }

    @Override
    Outcome outcome(Object response) {
      CreateEmbeddingResponse r = (CreateEmbeddingResponse) response;
      String model = null;
      try {
        model = known(r._model());
        Optional<CreateEmbeddingResponse.Usage> usage = r._usage().asKnown();
        // Embeddings responses carry no id: nothing to deduplicate against.
        return new Outcome(null, model, usage.map(OpenAIUsage::embeddings).orElse(null), null);
      } catch (RuntimeException e) {
        return Outcome.failed(null, model, e);
      }
    }

    @Override
    StreamState stream() {
      return null;
    }
  }

  /** The model's name whichever variant of the union holds it. */
  static String modelName(ResponsesModel m) {
    if (m.isString()) {
      return m.asString();
    }
    if (m.isChat()) {
      return m.asChat().asString();
    }
    if (m.isOnly()) {
      return m.asOnly().asString();
    }
    return UNKNOWN_MODEL;
  }
}
