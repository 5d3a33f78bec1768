package dev.hybrid.cli.engine;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deployment id is short and random, and ends every per-deployment name. It is looked up in
 * the state cache first, then in the tags of what exists, and only then made anew, so a lost
 * cache never leads to a second copy of the stack.
 */
public final class DeploymentIds {
    private static final Logger log = LoggerFactory.getLogger(DeploymentIds.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeploymentIds() {
    }

    public static String newId() {
        StringBuilder id = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /** Cache, then tags; empty when neither knows the stack. */
    public static Optional<String> existing(String stack, StateCache cache, Graph graph) {
        Optional<String> cached = cache.read().map(StackState::deploymentId).filter(id -> !id.isBlank());
        if (cached.isPresent()) {
            return cached;
        }
        return fromTags(stack, graph);
    }

    /** The deployment most of the stack's tagged resources belong to. */
    public static Optional<String> fromTags(String stack, Graph graph) {
        StackContext anyDeployment = new StackContext(stack, null);
        Map<String, Integer> votes = new HashMap<>();
        for (Resource resource : graph.order()) {
            for (Observed observed : resource.discover(anyDeployment)) {
                if (observed.deploymentId() != null) {
                    votes.merge(observed.deploymentId(), 1, Integer::sum);
                }
            }
        }
        Optional<String> found = votes.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey);
        found.ifPresent(id -> log.info("no state cache for stack {}; found deployment {} by its tags", stack, id));
        return found;
    }
}
