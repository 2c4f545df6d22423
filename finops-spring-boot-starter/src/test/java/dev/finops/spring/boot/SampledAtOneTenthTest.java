package dev.finops.spring.boot;

import org.springframework.test.context.TestPropertySource;

/** Spring Boot's default sampling: one trace in ten. Every call must still be priced. */
@TestPropertySource(properties = "management.tracing.sampling.probability=0.1")
class SampledAtOneTenthTest extends AbstractStarterHttpTest {
  @Override
  boolean sampledFully() {
    return false;
  }
}
