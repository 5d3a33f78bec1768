package dev.hybrid.cli.engine;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deployment id is short and random, and ends every per-deployment name. It is looked up in
 * the tags of what exists, then in the state cache, and only then made anew, so a lost cache
 * never leads to a second copy of the stack.
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

    /**
     * Tags first, because they are the truth: the cache may be stale, e.g. when another machine
     * deployed the stack since. Then the cache, which still knows a deployment whose first
     * resource was never created. Empty when neither knows the stack.
     */
    public static Optional<String> existing(String stack, StateCache cache, Walker walker, Graph graph) {
        Optional<String> cached = cache.read().map(StackState::deploymentId).filter(id -> id != null && !id.isBlank());
        Map<String, Integer> votes = walker.deploymentsByTag(graph, stack);
        if (votes.isEmpty()) {
            return cached;
        }
        int most = votes.values().stream().max(Integer::compare).orElseThrow();
        // On a tie the cached id wins, else the order is arbitrary but stable.
        Optional<String> found = cached.filter(id -> votes.getOrDefault(id, 0) == most)
                .or(() -> votes.entrySet().stream().filter(e -> e.getValue() == most).map(Map.Entry::getKey).sorted().findFirst());
        found.filter(id -> !cached.equals(Optional.of(id)))
                .ifPresent(id -> log.info("stack {}: tags name deployment {}{}", stack, id, cached.map(c -> ", not " + c + " as cached").orElse("")));
        return found;
    }
}
