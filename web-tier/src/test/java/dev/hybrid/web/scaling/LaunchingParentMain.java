package dev.hybrid.web.scaling;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stands in for a web tier in a process of its own, for {@link WorkersEndWithTheWebTierTest}: a real
 * {@link LocalProcessProvider} launches {@link FakeWorkerMain} workers ({@code args[0]} serving,
 * {@code args[1]} parked in the warm pool), prints {@code running PIDS warm PIDS} once they are
 * ready, and waits to be killed.
 */
public final class LaunchingParentMain {
    private LaunchingParentMain() {
    }

    public static void main(String[] args) throws Exception {
        int serving = Integer.parseInt(args[0]);
        int warm = Integer.parseInt(args[1]);
        Path testClasses = Path.of(FakeWorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = List.of(LocalProcessSettings.currentJava(), "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp",
                testClasses + File.pathSeparator + LocalProcessProviderTest.contractClasses(), FakeWorkerMain.class.getName());
        LocalProcessProvider provider = new LocalProcessProvider(new LocalProcessSettings(command,
                Map.of("HYBRID_REQUEST_QUEUE_URL", "http://127.0.0.1:1/000000000000/requests", "AWS_SECRET_ACCESS_KEY", "test"),
                warm, Duration.ofMinutes(2), Duration.ofSeconds(5), null));
        provider.activate(serving);
        provider.replenishWarmPool(warm);
        while (provider.counts().running() < serving || provider.counts().warm() < warm) {
            Thread.sleep(50);
        }
        System.out.println("running " + pids(provider, WorkerState.RUNNING) + " warm " + pids(provider, WorkerState.WARM));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static String pids(LocalProcessProvider provider, WorkerState state) {
        return provider.workers().stream().filter(w -> w.state() == state).map(w -> Long.toString(w.pid())).collect(Collectors.joining(","));
    }
}
