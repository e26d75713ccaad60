package dev.f2p.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test method (or class) checked by {@link LeakCheck}: the loggers whose ERROR lines this test
 * provokes on purpose (a policy that throws is logged at ERROR and refused). ERROR lines from any other
 * logger still fail the test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ExpectedErrorLogs {
  /**
   * Logger names, or prefixes of them ending in a dot.
   *
   * @return the loggers allowed to log ERROR in this test
   */
  String[] value();
}
