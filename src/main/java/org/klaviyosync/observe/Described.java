package org.klaviyosync.observe;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an MBean, one of its attributes (on the getter) or one of its operations does, in the
 * words a JMX console (Hawtio, JConsole) shows next to it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Described {
    String value();
}
