package dev.hybrid.web.scaling;

/**
 * Stand-in for the worker jar, for testing process management only: it checks that its settings came
 * through the environment, prints the worker's ready line and then waits until it is signalled.
 * FAKE_WORKER_MODE=silent never prints the ready line; FAKE_WORKER_MODE=exit exits soon after it;
 * FAKE_WORKER_MODE=crash fails before it. Like the real worker it exits when the process named in
 * HYBRID_PARENT_PID is gone, so its class path needs the contract's classes too.
 */
public final class FakeWorkerMain {
    private FakeWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        for (String required : new String[] {"HYBRID_REQUEST_QUEUE_URL", "AWS_SECRET_ACCESS_KEY"}) {
            String value = System.getenv(required);
            if (value == null || value.isBlank()) {
                System.err.println(required + " is not set");
                System.exit(2);
            }
        }
        // As the real worker's main does: end with the web tier that launched it.
        dev.hybrid.contract.ParentProcess.whenGone(System.getenv(), () -> System.exit(0));
        String mode = System.getenv().getOrDefault("FAKE_WORKER_MODE", "ready");
        if (mode.equals("crash")) {
            System.err.println("cannot load the model");
            System.exit(3);
        }
        if (!mode.equals("silent")) {
            System.out.println("starting");
            // Spelled out rather than built with ReadyLine: only the test classes are on this process's class path.
            System.out.println("hybrid-worker ready worker=fake-" + ProcessHandle.current().pid()
                    + " model=fake-model untrained=true");
            System.out.flush();
        }
        if (mode.equals("exit")) {
            Thread.sleep(200);
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
