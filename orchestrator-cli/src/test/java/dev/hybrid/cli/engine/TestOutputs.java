package dev.hybrid.cli.engine;

import java.util.Map;

/** A context in which some resources already exist, for testing one resource at a time. */
public final class TestOutputs {
    private TestOutputs() {
    }

    public static StackContext with(StackContext context, Map<String, Map<String, String>> outputs) {
        outputs.forEach(context::publish);
        return context;
    }
}
