package dev.hybrid.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
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
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * An SQS queue named {@code hybrid-<stack>-<role>-<deployment>}. The deployment suffix lets
 * {@code teardown && up} reuse no name, since SQS refuses a name deleted less than 60 s ago.
 * Found by name prefix and tags; {@code GetQueueUrl} on the exact name covers ListQueues' lag.
 */
public final class SqsQueue implements Resource {
    public static final String OUTPUT_URL = "url";
    public static final String OUTPUT_ARN = "arn";
    public static final String OUTPUT_NAME = "name";
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

    @Override
    public String key() {
        return keyFor(spec.role());
    }

    @Override
    public String kind() {
        return "sqs-queue";
    }

    @Override
    public Set<String> dependsOn() {
        return spec.deadLetterKey() == null ? Set.of() : Set.of(spec.deadLetterKey());
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
                    found.add(observe(url, tags.get(Tags.DEPLOYMENT)));
                }
            } catch (SqsException e) {
                requireQueueMissing(e); // deleted between listing and looking: nothing to manage
            }
        }
        return found;
    }

    private Optional<String> exactUrl(String name) {
        try {
            return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
        } catch (SqsException e) {
            requireQueueMissing(e);
            return Optional.empty();
        }
    }

    private Observed observe(String url, String deploymentId) {
        Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings();
        String arn = attributes.get(QueueAttributeName.QUEUE_ARN.toString());
        String name = arn == null ? url.substring(url.lastIndexOf('/') + 1) : arn.substring(arn.lastIndexOf(':') + 1);
        return new Observed(url, deploymentId, attributes, Map.of(OUTPUT_URL, url, OUTPUT_ARN, arn == null ? "" : arn, OUTPUT_NAME, name));
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        List<String> drift = new ArrayList<>();
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
            String deadLetterArn = context.output(spec.deadLetterKey(), OUTPUT_ARN).orElse("(not yet created)");
            attributes.put(QueueAttributeName.REDRIVE_POLICY.toString(), JSON.createObjectNode()
                    .put("deadLetterTargetArn", deadLetterArn).put("maxReceiveCount", spec.maxReceiveCount()).toString());
        }
        return attributes;
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
        Map<String, String> attributes = desiredAttributes(context);
        String url = sqs.createQueue(b -> b.queueName(nameFor(context)).attributesWithStrings(attributes)
                .tags(Tags.of(context, spec.role()))).queueUrl();
        return observe(url, context.deploymentId());
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        sqs.setQueueAttributes(b -> b.queueUrl(observed.physicalId()).attributesWithStrings(desiredAttributes(context)));
        return observe(observed.physicalId(), observed.deploymentId());
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        try {
            sqs.deleteQueue(b -> b.queueUrl(observed.physicalId()));
        } catch (SqsException e) {
            requireQueueMissing(e); // already gone: the goal of a delete
        }
    }

    /**
     * SQS says "no such queue" in two ways: the modeled QueueDoesNotExistException (JSON protocol), or a plain
     * SqsException with the query protocol's code, which the SDK reads from X-Amzn-ErrorType first (moto does this).
     * Rethrows anything else.
     */
    static void requireQueueMissing(SqsException e) {
        boolean missing = e instanceof QueueDoesNotExistException
                || (e.awsErrorDetails() != null && "AWS.SimpleQueueService.NonExistentQueue".equals(e.awsErrorDetails().errorCode()));
        if (!missing) {
            throw e;
        }
    }
}
