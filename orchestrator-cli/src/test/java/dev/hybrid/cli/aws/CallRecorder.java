package dev.hybrid.cli.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Records the name of every SDK operation, to prove that a walk changed nothing. */
final class CallRecorder implements ExecutionInterceptor {
    private final List<String> operations = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    List<String> all() {
        synchronized (operations) {
            return List.copyOf(operations);
        }
    }

    List<String> mutating() {
        return all().stream().filter(name -> !(name.startsWith("Get") || name.startsWith("List") || name.startsWith("Head") || name.startsWith("Describe"))).toList();
    }

    void clear() {
        operations.clear();
    }
}
