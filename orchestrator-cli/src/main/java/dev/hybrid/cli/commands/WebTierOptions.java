package dev.hybrid.cli.commands;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.targets.Targets;
import dev.hybrid.contract.EnvNames;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the web tier is and how hard to push it. */
public final class WebTierOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "The web tier's base URL (default: $" + EnvNames.URL + ", else the stack running locally).")
    URI url;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "100", description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "Give up on one request after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    URI url(Console console) {
        Map<String, String> env = console.env();
        URI base = url;
        if (base == null && env.get(EnvNames.URL) != null) {
            try {
                base = URI.create(env.get(EnvNames.URL).trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(EnvNames.URL + " is not a URL: " + env.get(EnvNames.URL));
            }
        }
        if (base == null) {
            base = Targets.local(console).runningUrl().orElseThrow(() ->
                    new ConfigurationException("where is the web tier? no local stack " + console.stack() + " runs: start one with "
                            + "'hybrid up --local', or pass --url http://HOST:PORT, or set " + EnvNames.URL));
        }
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
            throw new ConfigurationException("--url must be an http(s) URL like http://127.0.0.1:8080, not " + base);
        }
        return base;
    }

    int concurrency() {
        if (concurrency < 1 || concurrency > 1000) {
            throw new ConfigurationException("--concurrency must be between 1 and 1000, not " + concurrency);
        }
        return concurrency;
    }

    Duration timeout() {
        if (timeoutSeconds < 1) {
            throw new ConfigurationException("--timeout must be at least 1 second, not " + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}
