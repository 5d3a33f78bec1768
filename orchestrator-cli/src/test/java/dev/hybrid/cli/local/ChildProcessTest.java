package dev.hybrid.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.contract.ParentProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Teardown finds the workers a killed web tier left behind by what that web tier wrote into their environment. */
class ChildProcessTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killAll() {
        started.forEach(Process::destroyForcibly);
    }

    private Process start(String parentPid) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sleep", "600");
        if (parentPid != null) {
            builder.environment().put(ParentProcess.PARENT_PID_ENV, parentPid);
        }
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor());
    }

    @Test
    void aParkedWorkerOfAKilledWebTierIsFoundByItsEnvironmentAndStoppedWithSigterm() throws Exception {
        Process web = start(null);
        long webPid = web.pid();
        Process parked = start(Long.toString(webPid));
        Process serving = start(Long.toString(webPid));
        Process otherStacks = start(Long.toString(webPid + 100_000));
        Process unrelated = start(null);
        signal("-STOP", parked.pid());

        // While the web tier runs, its workers are its own business (its descendants, in a real stack).
        assertEquals(List.of(), ChildProcess.orphanedWorkers(webPid), "workers younger than the running web tier are not orphans");

        web.destroyForcibly();
        assertTrue(web.waitFor(30, TimeUnit.SECONDS));
        List<Long> orphans = ChildProcess.orphanedWorkers(webPid);
        assertEquals(java.util.stream.Stream.of(parked.pid(), serving.pid()).sorted().toList(), orphans.stream().sorted().toList(),
                "both workers that name the killed web tier, nothing else");
        assertFalse(orphans.contains(otherStacks.pid()));
        assertFalse(orphans.contains(unrelated.pid()));

        // A stopped process acts on SIGTERM only once continued: stop() continues it rather than waiting out the grace.
        assertTrue(ChildProcess.stop(parked.pid(), Duration.ofSeconds(60)));
        assertTrue(parked.waitFor(10, TimeUnit.SECONDS));
        assertEquals(128 + 15, parked.exitValue(), "ended by SIGTERM, not by the SIGKILL after the grace period");
        assertTrue(otherStacks.isAlive());
        assertTrue(unrelated.isAlive());
    }

    @Test
    void aChildOfTheStackInheritsNoOpenStackSecretAndNoAwsIdentity(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.util.Map<String, String> shell = new java.util.HashMap<>(System.getenv());
        shell.put("OS_PASSWORD", "os-secret-123");
        shell.put("OS_APPLICATION_CREDENTIAL_SECRET", "os-appcred-456");
        shell.put("OS_CLOUD", "mycloud");
        shell.put("AWS_ACCESS_KEY_ID", "AKIDOPERATOR00000001");
        shell.put("AWS_SECRET_ACCESS_KEY", "aws-secret-789");
        shell.put("AWS_SESSION_TOKEN", "aws-token-000");
        shell.put("HYBRID_KEPT", "kept");
        Process child = ChildProcess.start(List.of("sleep", "600"), shell, java.util.Map.of("AWS_ACCESS_KEY_ID", "local"),
                java.util.Set.of(), dir.resolve("child.log"));
        started.add(child);
        String environ = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // setsid execs sleep in place: wait until the pid's environment is sleep's, not the JVM's fork.
        while (System.nanoTime() < deadline && !java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(child.pid()),
                "cmdline")).startsWith("sleep")) {
            Thread.sleep(50);
        }
        environ = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(child.pid()), "environ"));
        List<String> entries = List.of(environ.split("\0"));
        assertTrue(entries.contains("HYBRID_KEPT=kept"), "an ordinary variable is inherited: " + entries);
        assertTrue(entries.contains("AWS_ACCESS_KEY_ID=local"), "what the child is given wins: " + entries);
        for (String secret : List.of("os-secret-123", "os-appcred-456", "aws-secret-789", "aws-token-000", "AKIDOPERATOR00000001")) {
            assertFalse(environ.contains(secret), secret + " reached the child");
        }
        assertTrue(entries.stream().noneMatch(entry -> entry.startsWith("OS_")), entries.toString());
    }

    /**
     * A log keeps what earlier processes wrote (teardown --keep-data, a repair): the ready line an earlier web tier left
     * there must not be taken for the new one's, whose port may differ and which may not answer yet.
     */
    @Test
    void aReadyLineAnEarlierProcessLeftInTheLogDoesNotCount(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = dir.resolve("web.log");
        java.nio.file.Files.writeString(log, "hybrid-web ready url=http://127.0.0.1:1111\nstopping\n");
        long from = ChildProcess.end(log);
        Process child = ChildProcess.start(List.of("sh", "-c", "sleep 1; echo 'hybrid-web ready url=http://127.0.0.1:2222'; sleep 600"),
                java.util.Map.of(), log);
        started.add(child);
        java.util.regex.Matcher ready = ChildProcess.awaitLine(child, log, from, LocalStack.WEB_READY, Duration.ofSeconds(30), "the web tier");
        assertEquals("http://127.0.0.1:2222", ready.group(1));
    }
}
