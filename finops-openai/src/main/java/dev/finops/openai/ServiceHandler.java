package dev.finops.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.RequestOptions;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.StructuredResponseCreateParams;
import com.openai.services.async.ChatServiceAsync;
import com.openai.services.async.EmbeddingServiceAsync;
import com.openai.services.async.ResponseServiceAsync;
import com.openai.services.async.chat.ChatCompletionServiceAsync;
import com.openai.services.blocking.ChatService;
import com.openai.services.blocking.EmbeddingService;
import com.openai.services.blocking.ResponseService;
import com.openai.services.blocking.chat.ChatCompletionService;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The {@link Proxy} handler of one wrapped client or service. Calls that create a chat completion, a
 * response or embeddings are accounted for; the clients and services they are reached through ({@code
 * chat()}, {@code completions()}, {@code responses()}, {@code embeddings()}, {@code async()}, {@code
 * sync()}, {@code withOptions(...)}) come back wrapped; every other method passes straight through to
 * the delegate, as do {@code withRawResponse()} views (not accounted for).
 *
 * <p>Every method of the interface reaches the handler, the interfaces' default overloads included
 * ({@code create(params)} as well as {@code create(params, options)}); the handler hands the same call
 * to the delegate, so each call the application makes is seen once, however the SDK's default methods
 * chain inside the delegate.
 */
final class ServiceHandler implements InvocationHandler {

  /** The SDK interfaces wrapped, blocking and asynchronous. */
  enum Service {
    CLIENT(OpenAIClient.class, OpenAIClientAsync.class),
    CHAT(ChatService.class, ChatServiceAsync.class),
    CHAT_COMPLETIONS(ChatCompletionService.class, ChatCompletionServiceAsync.class),
    RESPONSES(ResponseService.class, ResponseServiceAsync.class),
    EMBEDDINGS(EmbeddingService.class, EmbeddingServiceAsync.class);

    private final Class<?> blocking;
    private final Class<?> async;

    Service(Class<?> blocking, Class<?> async) {
      this.blocking = blocking;
      this.async = async;
    }

    Class<?> type(boolean isAsync) {
      return isAsync ? async : blocking;
    }
  }

  private final Service service;
  private final boolean async;
  private final Object delegate;
  private final CallTracker tracker;

  private ServiceHandler(Service service, boolean async, Object delegate, CallTracker tracker) {
    this.service = service;
    this.async = async;
    this.delegate = delegate;
    this.tracker = tracker;
  }

  /** {@code delegate} (an instance of the service's interface) wrapped; {@code null} stays {@code null}. */
  static Object wrap(Service service, boolean async, Object delegate, CallTracker tracker) {
    if (delegate == null) {
      return null;
    }
    Class<?> type = service.type(async);
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        new ServiceHandler(service, async, delegate, tracker));
  }

  /** The handler of {@code object} when it is a proxy made here, else {@code null}. */
  static ServiceHandler of(Object object) {
    if (object != null && Proxy.isProxyClass(object.getClass())) {
      InvocationHandler h = Proxy.getInvocationHandler(object);
      if (h instanceof ServiceHandler) {
        return (ServiceHandler) h;
      }
    }
    return null;
  }

  CallTracker tracker() {
    return tracker;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Object[] a = args == null ? new Object[0] : args;
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return proxy == a[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "FinOpsOpenAI{" + delegate + "}";
        default:
          return call(delegate, method, a);
      }
    }
    String name = method.getName();
    if (name.equals("withOptions") && a.length == 1) {
      return wrap(service, async, call(delegate, method, a), tracker);
    }
    switch (service) {
      case CLIENT:
        if (a.length == 0) {
          switch (name) {
            case "chat":
              return wrap(Service.CHAT, async, call(delegate, method, a), tracker);
            case "responses":
              return wrap(Service.RESPONSES, async, call(delegate, method, a), tracker);
            case "embeddings":
              return wrap(Service.EMBEDDINGS, async, call(delegate, method, a), tracker);
            case "async":
              return async ? call(delegate, method, a) : wrap(Service.CLIENT, true, call(delegate, method, a), tracker);
            case "sync":
              return async ? wrap(Service.CLIENT, false, call(delegate, method, a), tracker) : call(delegate, method, a);
            default:
              break;
          }
        }
        break;
      case CHAT:
        if (a.length == 0 && name.equals("completions")) {
          return wrap(Service.CHAT_COMPLETIONS, async, call(delegate, method, a), tracker);
        }
        break;
      case CHAT_COMPLETIONS:
        if (a.length >= 1 && (a[0] instanceof ChatCompletionCreateParams
            || a[0] instanceof StructuredChatCompletionCreateParams)) {
          if (name.equals("create")) {
            return create(Operation.CHAT, a[0], method, a);
          }
          if (name.equals("createStreaming")) {
            return chatStreaming(method, a);
          }
        }
        break;
      case RESPONSES:
        if (name.equals("create") || name.equals("createStreaming")) {
          Object params = a.length == 0 || a[0] instanceof RequestOptions ? null : a[0];
          if (params == null || params instanceof ResponseCreateParams
              || params instanceof StructuredResponseCreateParams) {
            return name.equals("create") ? create(Operation.RESPONSES, params, method, a)
                : responsesStreaming(params, method, a);
          }
        }
        break;
      case EMBEDDINGS:
        if (name.equals("create") && a.length >= 1 && a[0] instanceof EmbeddingCreateParams) {
          return create(Operation.EMBEDDINGS, a[0], method, a);
        }
        break;
      default:
        break;
    }
    return call(delegate, method, a);
  }

  private Object create(Operation op, Object params, Method method, Object[] args) throws Throwable {
    CallTracker.Invocation send = sendArgs -> call(delegate, method, sendArgs);
    return async ? tracker.async(op, params, send, args) : tracker.sync(op, params, send, args);
  }

  /**
   * A chat stream: structured params are sent as their raw params (what the SDK's default method does;
   * the chunks are the same), and with {@code requestStreamUsage} the params ask for the usage chunk.
   */
  private Object chatStreaming(Method method, Object[] args) throws Throwable {
    boolean structured = args[0] instanceof StructuredChatCompletionCreateParams;
    ChatCompletionCreateParams raw = structured
        ? ((StructuredChatCompletionCreateParams<?>) args[0]).rawParams()
        : (ChatCompletionCreateParams) args[0];
    ChatCompletionCreateParams sent = tracker.withStreamUsage(raw);
    Method target = method;
    Object[] sentArgs = args;
    if (structured || sent != raw) {
      target = service.type(async).getMethod("createStreaming", ChatCompletionCreateParams.class,
          RequestOptions.class);
      sentArgs = new Object[] {sent, args.length >= 2 ? args[1] : RequestOptions.none()};
    }
    return stream(Operation.CHAT, sent, target, sentArgs);
  }

  /** A responses stream: structured params are sent as their raw params. */
  private Object responsesStreaming(Object params, Method method, Object[] args) throws Throwable {
    if (params instanceof StructuredResponseCreateParams) {
      ResponseCreateParams raw = ((StructuredResponseCreateParams<?>) params).rawParams();
      Method target = service.type(async).getMethod("createStreaming", ResponseCreateParams.class,
          RequestOptions.class);
      return stream(Operation.RESPONSES, raw, target,
          new Object[] {raw, args.length >= 2 ? args[1] : RequestOptions.none()});
    }
    return stream(Operation.RESPONSES, params, method, args);
  }

  private Object stream(Operation op, Object params, Method target, Object[] args) throws Throwable {
    CallTracker.Invocation send = sendArgs -> call(delegate, target, sendArgs);
    return async ? tracker.asyncStream(op, params, send, args) : tracker.syncStream(op, params, send, args);
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
