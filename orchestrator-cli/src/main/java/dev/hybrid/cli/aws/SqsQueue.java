package dev.hybrid.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.engine.Address;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.OutputKey;
import dev.hybrid.cli.engine.OutputValues;
import dev.hybrid.cli.engine.Ref;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import dev.hybrid.contract.TagKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * An SQS queue named {@code hybrid-<stack>-<role>-<deployment>}. The deployment suffix lets
 * {@code teardown && up} reuse no name, since SQS refuses a name deleted less than 60 s ago.
 * Found by name prefix and tags; {@code GetQueueUrl} on the exact name covers ListQueues' lag.
 */
public final class SqsQueue implements Resource {
    public static final OutputKey<SqsQueue, String> URL = OutputKey.text(SqsQueue.class, "url");
    public static final OutputKey<SqsQueue, String> ARN = OutputKey.text(SqsQueue.class, "arn");
    public static final OutputKey<SqsQueue, String> NAME = OutputKey.text(SqsQueue.class, "name");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(SqsQueue.class);

    private final SqsClient sqs;
    private final QueueSpec spec;

    public SqsQueue(SqsClient sqs, QueueSpec spec) {
        this.sqs = sqs;
        this.spec = spec;
    }

    public static String keyFor(String role) {
        return "sqs:" + role;
    }

    /** The queue of {@code role} in a stack's graph. */
    public static Address<SqsQueue> at(String role) {
        return Address.of(SqsQueue.class, keyFor(role));
    }

    @Override
    public String key() {
        return keyFor(spec.role());
    }

    @Override
    public String kind() {
        return "sqs-queue";
    }

    /** The dead-letter queue's ARN, which the redrive policy names; null for a queue without one. */
    private Ref<String> deadLetterArn() {
        return spec.deadLetterKey() == null ? null : Address.of(SqsQueue.class, spec.deadLetterKey()).get(ARN);
    }

    @Override
    public Set<Ref<?>> reads() {
        return spec.deadLetterKey() == null ? Set.of() : Set.of(deadLetterArn());
    }

    private String prefix(StackContext context) {
        return "hybrid-" + context.stack() + "-" + spec.role() + "-";
    }

    public String nameFor(StackContext context) {
        return prefix(context) + context.deploymentId();
    }

    @Override
    public List<Observed> discover(StackContext context) {
        Set<String> urls = new LinkedHashSet<>();
        if (context.deploymentId() != null) {
            exactUrl(nameFor(context)).ifPresent(urls::add);
        }
        sqs.listQueuesPaginator(b -> b.queueNamePrefix(prefix(context))).queueUrls().forEach(urls::add);
        List<Observed> found = new ArrayList<>();
        for (String url : urls) {
            try {
                Map<String, String> tags = sqs.listQueueTags(b -> b.queueUrl(url)).tags();
                if (Tags.belongsTo(tags, context.stack(), spec.role())) {
                    found.add(observe(url, tags.get(TagKeys.DEPLOYMENT)));
                }
            } catch (SqsException e) {
                // deleted between listing and looking: nothing to manage
                AwsErrors.rethrowUnlessQueueMissing(e);
            }
        }
        return found;
    }

    private Optional<String> exactUrl(String name) {
        try {
            return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
        } catch (SqsException e) {
            AwsErrors.rethrowUnlessQueueMissing(e);
            return Optional.empty();
        }
    }

    private Observed observe(String url, String deploymentId) {
        Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings();
        String arn = attributes.get(QueueAttributeName.QUEUE_ARN.toString());
        String name = arn == null ? url.substring(url.lastIndexOf('/') + 1) : arn.substring(arn.lastIndexOf(':') + 1);
        return new Observed(url, deploymentId, attributes, OutputValues.of(URL, url).and(ARN, arn == null ? "" : arn).and(NAME, name).toMap());
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        List<String> drift = new ArrayList<>();
        if (spec.deadLetterKey() != null && context.get(deadLetterArn()).isEmpty()) {
            // In a plan that makes a new dead-letter queue: the policy will name it.
            drift.add(QueueAttributeName.REDRIVE_POLICY + " " + Ref.knownAfterApply(List.of(deadLetterArn())));
        }
        desiredAttributes(context).forEach((name, wanted) -> {
            String actual = observed.attributes().get(name);
            boolean redrive = name.equals(QueueAttributeName.REDRIVE_POLICY.toString());
            if (actual == null && !redrive) {
                // SQS always reports its basic attributes; ElasticMQ omits some (MessageRetentionPeriod). Unknown is not drift.
                log.debug("{} does not report {}; not compared", observed.physicalId(), name);
                return;
            }
            boolean same = redrive ? sameRedrive(wanted, actual) : wanted.equals(actual);
            if (!same) {
                drift.add(name + " " + actual + " -> " + wanted);
            }
        });
        return drift.isEmpty() ? Diff.keep() : Diff.update(String.join("; ", drift));
    }

    private Map<String, String> desiredAttributes(StackContext context) {
        Map<String, String> attributes = new HashMap<>(spec.attributes());
        if (spec.deadLetterKey() != null) {
            context.get(deadLetterArn()).ifPresent(arn -> attributes.put(QueueAttributeName.REDRIVE_POLICY.toString(), redrivePolicy(arn)));
        }
        return attributes;
    }

    private String redrivePolicy(String deadLetterArn) {
        return JSON.createObjectNode().put("deadLetterTargetArn", deadLetterArn).put("maxReceiveCount", spec.maxReceiveCount()).toString();
    }

    /** SQS echoes the policy with its own spacing and sometimes the count as a string. */
    private static boolean sameRedrive(String wanted, String actual) {
        if (actual == null) {
            return false;
        }
        try {
            JsonNode a = JSON.readTree(wanted);
            JsonNode b = JSON.readTree(actual);
            return a.path("deadLetterTargetArn").asText().equals(b.path("deadLetterTargetArn").asText())
                    && a.path("maxReceiveCount").asInt() == b.path("maxReceiveCount").asInt();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public Observed create(StackContext context) {
        if (spec.deadLetterKey() != null) {
            context.require(deadLetterArn());
        }
        Map<String, String> attributes = desiredAttributes(context);
        String url = sqs.createQueue(b -> b.queueName(nameFor(context)).attributesWithStrings(attributes)
                .tags(Tags.of(context, spec.role()))).queueUrl();
        return observe(url, context.deploymentId());
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        if (spec.deadLetterKey() != null) {
            context.require(deadLetterArn());
        }
        sqs.setQueueAttributes(b -> b.queueUrl(observed.physicalId()).attributesWithStrings(desiredAttributes(context)));
        return observe(observed.physicalId(), observed.deploymentId());
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        try {
            sqs.deleteQueue(b -> b.queueUrl(observed.physicalId()));
        } catch (SqsException e) {
            // already gone: the goal of a delete
            AwsErrors.rethrowUnlessQueueMissing(e);
        }
    }
}
