package dev.finops.spring.boot.app;

import dev.finops.core.budget.BudgetException;
import dev.finops.otel.CostTracked;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.context.Context;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/** A Spring Boot inference service as a user writes it: Spring AI's ChatClient, a tracked bean, nothing of finops but the starter. */
@SpringBootApplication
public class AssistantApp {

  /**
   * Stands in for Spring Security (order -100): requests with an {@code X-User} header are
   * authenticated as that user.
   */
  @Bean
  FilterRegistrationBean<OncePerRequestFilter> fakeAuthentication() {
    FilterRegistrationBean<OncePerRequestFilter> r = new FilterRegistrationBean<>(new OncePerRequestFilter() {
      @Override
      protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
          throws ServletException, IOException {
        String user = request.getHeader("X-User");
        if (user == null) {
          chain.doFilter(request, response);
          return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
          @Override
          public Principal getUserPrincipal() {
            return () -> user;
          }
        }, response);
      }
    });
    r.setOrder(-100);
    return r;
  }

  /** An exporter bean of the application's own, beside Boot's: each span must reach it once. */
  @Bean
  InMemorySpanExporter spans() {
    return InMemorySpanExporter.create();
  }

  @RestController
  static class AskController {
    private final ChatClient chat;
    private final TrackedAssistant tracked;

    AskController(ChatClient.Builder builder, TrackedAssistant tracked) {
      this.chat = builder.build();
      this.tracked = tracked;
    }

    @GetMapping("/ask")
    String ask() {
      return chat.prompt("What is six times seven?").call().content();
    }

    @GetMapping("/stream")
    String stream() {
      return String.join("", chat.prompt("Tell me").stream().content().collectList().block());
    }

    @GetMapping("/tracked")
    String tracked() {
      return tracked.answer("What is six times seven?");
    }

    @GetMapping("/tracked-async")
    CompletableFuture<String> trackedAsync() {
      return tracked.answerLater("What is six times seven?");
    }

    @ExceptionHandler(BudgetException.class)
    ResponseEntity<String> refused(BudgetException e) {
      return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body(e.getMessage());
    }
  }

  /** A class, no interface: proxied by Spring AOP through its class. */
  @Service
  public static class TrackedAssistant {
    private final ChatModel model;

    TrackedAssistant(ChatModel model) {
      this.model = model;
    }

    @CostTracked(provider = "openai", model = "gpt-4o-2024-08-06", maxInputTokens = 1000, maxOutputTokens = 600)
    public String answer(String question) {
      return model.call(question);
    }

    @CostTracked(provider = "openai", model = "gpt-4o-2024-08-06", maxInputTokens = 1000, maxOutputTokens = 600)
    public CompletableFuture<String> answerLater(String question) {
      // the OpenTelemetry context (and the request's finops tags in it) follows the work to the pool
      return CompletableFuture.supplyAsync(() -> model.call(question), Context.current().wrap(ForkJoinPool.commonPool()));
    }
  }
}
