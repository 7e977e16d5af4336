package org.klaviyosync.observe;

import java.lang.reflect.Method;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;

/**
 * A standard MBean whose MBeanInfo carries the {@link Described} texts of its management
 * interface instead of the JDK's "Attribute exposed for management" and "Operation exposed for
 * management".
 */
public abstract class DescribedMBean extends StandardMBean {

    private final Class<?> managementInterface;

    protected <T> DescribedMBean(Class<T> managementInterface) throws NotCompliantMBeanException {
        super(managementInterface);
        this.managementInterface = managementInterface;
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        Described d = managementInterface.getAnnotation(Described.class);
        return d == null ? super.getDescription(info) : d.value();
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        String prefix = info.isIs() ? "is" : "get";
        Described d = annotation(prefix + info.getName(), 0);
        return d == null ? super.getDescription(info) : d.value();
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        Described d = annotation(info.getName(), info.getSignature().length);
        return d == null ? super.getDescription(info) : d.value();
    }

    private Described annotation(String methodName, int parameters) {
        for (Method m : managementInterface.getMethods()) {
            if (m.getName().equals(methodName) && m.getParameterCount() == parameters) {
                return m.getAnnotation(Described.class);
            }
        }
        return null;
    }
}
