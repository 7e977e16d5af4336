package org.klaviyosync.settings;

import java.util.List;

/** A configuration problem that stops start-up; its message says what to fix. */
public class ConfigurationException extends RuntimeException {

    private final List<String> problems;

    public ConfigurationException(String problem) {
        this(List.of(problem));
    }

    public ConfigurationException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
