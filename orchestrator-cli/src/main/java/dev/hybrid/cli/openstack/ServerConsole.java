package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a server that does not come up says about itself: its status and fault, and the tail of its console log
 * (Nova's {@code os-getConsoleOutput} action). cloud-init may echo user-data, which carries the web tier's secret key,
 * so every line is redacted before anyone sees it: the known secret values, and any {@code NAME=value} whose name
 * says secret, password, token or credential.
 */
public final class ServerConsole {
    public static final String REDACTED = "[REDACTED]";
    private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
            "(?i)([A-Za-z0-9_.-]*(?:secret|password|passwd|token|credential)[A-Za-z0-9_.-]*\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|\\S+)");

    private final OpenStackApi api;

    public ServerConsole(OpenStackApi api) {
        this.api = api;
    }

    /** "server ID went to ERROR: fault" when Nova says so, else empty (also when Nova cannot be asked right now). */
    public Optional<String> failure(String serverId) {
        try {
            return api.find(ServiceType.COMPUTE, "/servers/" + serverId).map(found -> found.path("server"))
                    .filter(server -> "ERROR".equals(server.path("status").asText()))
                    .map(server -> "server " + serverId + " went to ERROR: "
                            + server.path("fault").path("message").asText("Nova gave no fault message"));
        } catch (OpenStackException e) {
            return Optional.empty();
        }
    }

    /**
     * The last {@code lines} lines of the server's console log, redacted; one line saying why when Nova has none.
     *
     * @param secrets values that must never be shown (the web tier's secret key)
     */
    public List<String> tail(String serverId, int lines, Collection<String> secrets) {
        String output;
        try {
            JsonNode answer = api.post(ServiceType.COMPUTE, "/servers/" + serverId + "/action",
                    Json.object(o -> o.set("os-getConsoleOutput", Json.object(c -> c.put("length", lines)))));
            output = answer.path("output").asText("");
        } catch (OpenStackException e) {
            return List.of("(no console log: " + e.getMessage() + ")");
        }
        List<String> all = output.lines().map(line -> line.replaceAll("\\p{Cntrl}", "")).toList();
        if (all.isEmpty()) {
            return List.of("(the console log is empty)");
        }
        return redact(all.subList(Math.max(0, all.size() - lines), all.size()), secrets);
    }

    /** Every occurrence of a known secret, and the value of every secret-looking assignment, replaced by {@link #REDACTED}. */
    public static List<String> redact(List<String> lines, Collection<String> secrets) {
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            String clean = line;
            for (String secret : secrets) {
                if (secret != null && secret.length() >= 4) {
                    clean = clean.replace(secret, REDACTED);
                }
            }
            out.add(SECRET_ASSIGNMENT.matcher(clean).replaceAll(match -> java.util.regex.Matcher.quoteReplacement(match.group(1) + REDACTED)));
        }
        return out;
    }
}
