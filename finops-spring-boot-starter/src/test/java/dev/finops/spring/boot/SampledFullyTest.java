package dev.finops.spring.boot;

import org.springframework.test.context.TestPropertySource;

/** Every trace sampled: each span exported once, with its cost, and the call counted once. */
@TestPropertySource(properties = "management.tracing.sampling.probability=1.0")
class SampledFullyTest extends AbstractStarterHttpTest {
  @Override
  boolean sampledFully() {
    return true;
  }
}
