package dev.hybrid.contract;

import java.util.Map;
import java.util.Optional;

/**
 * A worker launched by a web tier ends with it. The web tier names itself in
 * {@value #PARENT_PID_ENV} when it starts a worker process; the worker watches that process and stops
 * (as on SIGTERM) once it is gone, so a web tier killed with SIGKILL leaves no worker behind. A worker
 * started any other way (systemd on EC2, by hand) has no such variable and watches nothing.
 */
public final class ParentProcess {
    /** The pid of the process whose end ends this one. */
    public static final String PARENT_PID_ENV = EnvNames.PARENT_PID;

    private ParentProcess() {}

    /**
     * Runs {@code onGone} once the process named in {@code env} has ended, at once when it already
     * has; false, and nothing watched, when {@code env} names none. The JDK polls a process that is
     * not a child of this one, at most 5 s apart, and tells a reused pid from the original by its start time.
     *
     * @throws IllegalArgumentException in one line, when the variable is set but is not a pid
     */
    public static boolean whenGone(Map<String, String> env, Runnable onGone) {
        String value = env.get(PARENT_PID_ENV);
        if (value == null || value.isBlank()) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PARENT_PID_ENV + " must be a process id, not '" + value + "'");
        }
        if (pid <= 0) {
            throw new IllegalArgumentException(PARENT_PID_ENV + " must be a process id, not '" + value + "'");
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (parent.isEmpty()) {
            onGone.run();
        } else {
            parent.get().onExit().thenRun(onGone);
        }
        return true;
    }
}
