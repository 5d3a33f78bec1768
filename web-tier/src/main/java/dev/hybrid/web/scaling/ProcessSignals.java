package dev.hybrid.web.scaling;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Suspends and resumes a process by pid. Java can only send SIGTERM and SIGKILL, so SIGSTOP and SIGCONT
 * go through the kill(1) command; only the pid appears in its arguments.
 */
final class ProcessSignals {
    private ProcessSignals() {
    }

    /** Returns false if the signal could not be delivered, typically because the process is gone. */
    static boolean suspend(long pid) {
        return send("-STOP", pid);
    }

    static boolean resume(long pid) {
        return send("-CONT", pid);
    }

    private static boolean send(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill " + signal + " " + pid + " did not finish within 5 s");
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill " + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + pid, e);
        }
    }
}
