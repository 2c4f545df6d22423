package dev.finops.otel;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/** The {@link java.lang.reflect.Proxy} behind {@link FinOpsTelemetry#wrap}: a {@link TrackedMethod} per annotated method. */
final class TrackedHandler implements InvocationHandler {
  private final Object target;
  private final Map<Method, TrackedMethod> tracked = new HashMap<>();

  TrackedHandler(FinOpsTelemetry telemetry, Class<?> type, Object target) {
    this.target = target;
    for (Method m : type.getMethods()) {
      if (m.isAnnotationPresent(CostTracked.class)) {
        m.trySetAccessible(); // a non-public interface, say; public ones need nothing
        tracked.put(m, TrackedMethod.of(telemetry, m));
      }
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    TrackedMethod t = tracked.get(method);
    if (t != null) {
      return t.invoke(args, () -> invokeTarget(method, args));
    }
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "CostTracked(" + target + ")";
        default:
          break;
      }
    }
    return invokeTarget(method, args);
  }

  private Object invokeTarget(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
