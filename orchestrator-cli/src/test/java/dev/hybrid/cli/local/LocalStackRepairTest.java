package dev.hybrid.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * up checks each process of the stack for life and for an answer on its port: a dead one is gone, a live one that
 * does not answer (hung) is not answering, and only a stack whose processes all run and answer is healthy.
 */
class LocalStackRepairTest {
    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private HttpServer answering;
    private HttpServer waiting;
    /** Accepts connections into its backlog but never answers: what a SIGSTOPped server looks like from outside. */
    private ServerSocket silent;

    @BeforeEach
    void servers() throws Exception {
        answering = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        answering.createContext("/", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        answering.start();
        // A web tier whose health check waits on hung emulators: /healthz does not answer in time, its upload page does.
        waiting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        waiting.createContext("/healthz", exchange -> {
            try {
                Thread.sleep(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        waiting.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        waiting.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        waiting.start();
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        started.forEach(Process::destroyForcibly);
        answering.stop(0);
        waiting.stop(0);
        silent.close();
    }

    private long sleeper() throws Exception {
        Process process = new ProcessBuilder("sleep", "600").start();
        started.add(process);
        return process.pid();
    }

    private long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private String answers() {
        return "http://127.0.0.1:" + answering.getAddress().getPort();
    }

    private String hangs() {
        return "http://127.0.0.1:" + silent.getLocalPort();
    }

    private LocalRecord record(long webPid, String web, long emulatorPid, String sqs, String s3) {
        return new LocalRecord("s1", web, webPid, emulatorPid, 8080, sqs, s3, System.currentTimeMillis(), null);
    }

    private LocalStack stack() {
        return new LocalStack("s1", Map.of("HYBRID_STATE_DIR", dir.toString(), "HYBRID_HOME", dir.toString()));
    }

    @Test
    void eachProcessIsCheckedForLifeAndForAnAnswer() throws Exception {
        LocalStack stack = stack();
        long web = sleeper();
        long emulators = sleeper();
        LocalStack.Check healthy = stack.check(record(web, answers(), emulators, answers(), answers()));
        assertTrue(healthy.healthy(), healthy::toString);

        LocalStack.Check webGone = stack.check(record(deadPid(), answers(), emulators, answers(), answers()));
        assertEquals(new LocalStack.Check(LocalStack.Condition.GONE, LocalStack.Condition.RUNNING), webGone);

        LocalStack.Check emulatorsGone = stack.check(record(web, answers(), deadPid(), answers(), answers()));
        assertEquals(new LocalStack.Check(LocalStack.Condition.RUNNING, LocalStack.Condition.GONE), emulatorsGone);

        LocalStack.Check s3Hangs = stack.check(record(web, answers(), emulators, answers(), hangs()));
        assertEquals(new LocalStack.Check(LocalStack.Condition.RUNNING, LocalStack.Condition.NOT_ANSWERING), s3Hangs,
                "the emulators answer on both ports or not at all");

        LocalStack.Check webHangs = stack.check(record(web, hangs(), emulators, answers(), answers()));
        assertEquals(new LocalStack.Check(LocalStack.Condition.NOT_ANSWERING, LocalStack.Condition.RUNNING), webHangs);
    }

    @Test
    void aWebTierWhoseHealthWaitsOnHungEmulatorsIsKeptWhenItsPageAnswers() throws Exception {
        LocalStack stack = stack();
        long web = sleeper();
        long emulators = sleeper();
        String waitingWeb = "http://127.0.0.1:" + waiting.getAddress().getPort();
        assertEquals(new LocalStack.Check(LocalStack.Condition.RUNNING, LocalStack.Condition.NOT_ANSWERING),
                stack.check(record(web, waitingWeb, emulators, hangs(), hangs())), "only the emulators are restarted");
        assertEquals(new LocalStack.Check(LocalStack.Condition.NOT_ANSWERING, LocalStack.Condition.RUNNING),
                stack.check(record(web, waitingWeb, emulators, answers(), answers())),
                "with the emulators answering, a web tier whose /healthz does not is hung");
    }

    @Test
    void aStackWithNothingLeftIsAPlainStartNotARepair() throws Exception {
        LocalStack.Check check = stack().check(record(deadPid(), answers(), deadPid(), answers(), answers()));
        assertTrue(check.allGone());
        assertFalse(check.healthy());
    }

    @Test
    void aPidHeldByAProcessStartedAfterTheRecordIsGone() throws Exception {
        long later = sleeper();
        LocalRecord written = new LocalRecord("s1", answers(), later, later, 8080, answers(), answers(),
                System.currentTimeMillis() - 60_000, null);
        assertTrue(stack().check(written).allGone(), "a reused pid is never taken for the stack's process, nor stopped as it");
    }
}
