package dev.finops.spring.boot;

import dev.finops.core.Tags;
import dev.finops.otel.CostContext;
import io.opentelemetry.context.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Attributes everything a request does to tags taken from it ({@code finops.request-tags}): each
 * configured header's value as its tag, and the authenticated principal's name as the principal tag.
 * The tags are ambient ({@link CostContext#withTags}) while the request is served, so Spring AI
 * calls, {@code @CostTracked} beans, LangChain4j and OpenAI calls and the spans priced by the exporter
 * all count against the same budgets. A header value that is not a valid tag value is answered with
 * 400 naming the header, never recorded under another scope.
 *
 * <p>The starter registers it twice: for the headers before Spring Boot's HTTP observation filter, so
 * the request's span (and every span under it, whose context the tracing bridge derives from it)
 * carries the tags; for the principal after Spring Security's filter chain, which establishes it. The
 * second also leaves the tags on the request's observation, where the Spring AI budget gate looks for
 * them: a span context derived from the request's span (which started before the principal was known),
 * or a stream's observation started on a Reactor thread, does not carry them otherwise.
 */
public class RequestTagsFilter extends OncePerRequestFilter {
  private final String[][] headers; // {tag, header}
  private final String principalTag;

  /**
   * @param headers tag name to header name
   * @param principalTag the tag that takes the principal's name, or {@code null}
   */
  public RequestTagsFilter(Map<String, String> headers, String principalTag) {
    List<String[]> list = new ArrayList<>();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      list.add(new String[] {e.getKey(), e.getValue()});
    }
    this.headers = list.toArray(new String[0][]);
    this.principalTag = principalTag;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Tags.Builder b = null;
    String at = null;
    try {
      for (String[] h : headers) {
        String value = request.getHeader(h[1]);
        if (value != null && !value.isBlank()) {
          at = "header " + h[1];
          b = b == null ? Tags.builder() : b;
          b.put(h[0], value.trim());
        }
      }
      if (principalTag != null) {
        Principal p = request.getUserPrincipal();
        if (p != null && p.getName() != null && !p.getName().isBlank()) {
          at = "the principal's name";
          b = b == null ? Tags.builder() : b;
          b.put(principalTag, p.getName());
        }
      }
    } catch (IllegalArgumentException invalid) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "finops: " + at + " is not a valid tag value: "
          + invalid.getMessage());
      return;
    }
    if (b == null) {
      chain.doFilter(request, response);
      return;
    }
    try (Scope scope = CostContext.withTags(b.build())) {
      // Work that Spring AI runs under the request's observation, on other threads or under contexts the
      // tracing bridge derives from the request's span (started before this filter), finds them here.
      ServerHttpObservationFilter.findObservationContext(request)
          .ifPresent(c -> c.put(ObservationTags.KEY, CostContext.currentTags()));
      chain.doFilter(request, response);
    }
  }
}
