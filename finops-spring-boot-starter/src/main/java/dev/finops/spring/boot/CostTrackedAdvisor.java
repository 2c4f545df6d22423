package dev.finops.spring.boot;

import dev.finops.otel.CostTracked;
import dev.finops.otel.FinOpsTelemetry;
import dev.finops.otel.TrackedMethod;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;

/**
 * {@link CostTracked} on Spring beans: every bean with an annotated method (on its class, or on an
 * interface it implements) is proxied, and each call of an annotated method runs through {@link
 * TrackedMethod}: budget reservation before, pricing, recording and settlement after. Asynchronous
 * results ({@code CompletionStage}) are never waited on by the caller's thread: a THROTTLE delay
 * postpones the call on a delayed executor, and cancelling the returned stage reaches the call.
 * Infrastructure role, so Boot's default auto-proxy creator applies it with or without AspectJ.
 */
public final class CostTrackedAdvisor extends AbstractPointcutAdvisor {
  private static final long serialVersionUID = 1L;

  private final transient ObjectProvider<FinOpsTelemetry> telemetry;
  private final transient ConcurrentHashMap<Method, TrackedMethod> tracked = new ConcurrentHashMap<>();
  private final transient Pointcut pointcut = new StaticMethodMatcherPointcut() {
    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      return annotated(method, targetClass) != null;
    }
  };
  private final transient MethodInterceptor interceptor = this::invoke;

  CostTrackedAdvisor(ObjectProvider<FinOpsTelemetry> telemetry) {
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return interceptor;
  }

  private Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    Method method = invocation.getMethod();
    TrackedMethod t = tracked.get(method);
    if (t == null) {
      Method annotated = annotated(method, target == null ? method.getDeclaringClass() : target.getClass());
      if (annotated == null) {
        return invocation.proceed();
      }
      t = tracked.computeIfAbsent(method, m -> TrackedMethod.of(telemetry.getObject(), annotated));
    }
    return t.invoke(invocation.getArguments(), invocation::proceed);
  }

  /** The method carrying {@link CostTracked}: the class's implementation first, else the one called. */
  static Method annotated(Method method, Class<?> targetClass) {
    Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
    if (specific.isAnnotationPresent(CostTracked.class)) {
      return specific;
    }
    if (method.isAnnotationPresent(CostTracked.class)) {
      return method;
    }
    for (Class<?> type : targetClass.getInterfaces()) {
      try {
        Method declared = type.getMethod(method.getName(), method.getParameterTypes());
        if (declared.isAnnotationPresent(CostTracked.class)) {
          return declared;
        }
      } catch (NoSuchMethodException notThere) {
        // not declared by this interface
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "CostTrackedAdvisor";
  }
}
