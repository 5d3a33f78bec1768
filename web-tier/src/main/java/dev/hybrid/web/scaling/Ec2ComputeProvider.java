package dev.hybrid.web.scaling;

import dev.hybrid.contract.EnvNames;
import dev.hybrid.contract.Roles;
import dev.hybrid.contract.TagKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * App-tier workers as EC2 instances launched from the stack's launch template. The fleet is what
 * DescribeInstances shows under the stack's tags, pending instances included, plus the instances
 * that RunInstances returned and DescribeInstances does not show yet (it lags). Every launch is
 * bounded by the maximum against that count, under this object's lock, so concurrent scale-outs
 * never exceed it. Each RunInstances carries a ClientToken that its retries reuse, so a retried
 * call never launches twice. The warm pool is stopped instances: StartInstances brings one back
 * with the model already on its disk.
 */
public final class Ec2ComputeProvider implements ComputeProvider {
    /** Pauses the calling thread; tests pass one that only records. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(Ec2ComputeProvider.class);
    private static final List<String> LIVE_STATES = List.of("pending", "running", "stopping", "stopped", "shutting-down");
    private static final int THROTTLE_ATTEMPTS = 6;
    private static final int CLOSE_POLLS = 60;
    /** EC2 accepts client tokens of up to 64 ASCII characters. */
    private static final int MAX_TOKEN_LENGTH = 64;
    /** The short ends of start-from-stopped (8–15 s) and run-from-AMI (30–60 s) until the worker serves. */
    static final Duration START_FROM_STOPPED = Duration.ofSeconds(8);
    static final Duration RUN_FROM_AMI = Duration.ofSeconds(30);

    private final Ec2Client ec2;
    private final Ec2ProviderSettings settings;
    private final Sleeper sleeper;
    /** Launched by us, not yet shown by DescribeInstances; value: launched for the warm pool. */
    private final Map<String, Boolean> unseen = new LinkedHashMap<>();
    /** Launched for the warm pool and not yet parked. */
    private final Set<String> warming = new HashSet<>();
    /** Told to start, stop or terminate; counted by what they are becoming until EC2 agrees. */
    private final Map<String, WorkerState> becoming = new HashMap<>();
    private long launchesPausedUntilNanos = System.nanoTime();
    private long tokens;

    public Ec2ComputeProvider(Ec2Client ec2, Ec2ProviderSettings settings) {
        this(ec2, settings, pause -> Thread.sleep(pause.toMillis()));
    }

    public Ec2ComputeProvider(Ec2Client ec2, Ec2ProviderSettings settings, Sleeper sleeper) {
        this.ec2 = ec2;
        this.settings = settings;
        this.sleeper = sleeper;
    }

    private record Worker(String id, String ec2State, Instant launched, WorkerState state) {
    }

    @Override
    public synchronized FleetCounts counts() {
        return count(refresh());
    }

    private static FleetCounts count(List<Worker> workers) {
        int starting = 0, running = 0, stopping = 0, warmingCount = 0, warm = 0;
        for (Worker worker : workers) {
            switch (worker.state) {
                case STARTING -> starting++;
                case RUNNING -> running++;
                case STOPPING -> stopping++;
                case WARMING -> warmingCount++;
                case WARM -> warm++;
            }
        }
        return new FleetCounts(starting, running, stopping, warmingCount, warm);
    }

    /** The stack's workers now; parks warming workers that have come up. */
    private List<Worker> refresh() {
        List<Instance> instances = throttled("DescribeInstances", () -> ec2.describeInstancesPaginator(b -> b.filters(
                Filter.builder().name(TagKeys.ec2Filter(TagKeys.STACK)).values(settings.stack()).build(),
                Filter.builder().name(TagKeys.ec2Filter(TagKeys.ROLE)).values(Roles.APP_WORKER).build(),
                Filter.builder().name("instance-state-name").values(LIVE_STATES).build())).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList());
        List<Worker> workers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> toPark = new ArrayList<>();
        for (Instance instance : instances) {
            String id = instance.instanceId();
            String state = instance.state().nameAsString();
            seen.add(id);
            unseen.remove(id);
            WorkerState worker = classify(id, state);
            if (warming.contains(id) && state.equals("running")) {
                toPark.add(id); // still warming: on its way into the pool
            }
            workers.add(new Worker(id, state, instance.launchTime(), worker));
        }
        becoming.keySet().retainAll(seen);
        warming.retainAll(java.util.stream.Stream.concat(seen.stream(), unseen.keySet().stream()).toList());
        unseen.forEach((id, forWarmPool) -> workers.add(new Worker(id, "pending", Instant.now(),
                forWarmPool ? WorkerState.WARMING : WorkerState.STARTING)));
        if (!toPark.isEmpty()) {
            throttled("StopInstances", () -> ec2.stopInstances(b -> b.instanceIds(toPark)));
            toPark.forEach(id -> {
                warming.remove(id);
                becoming.put(id, WorkerState.WARM);
            });
            log.info("parked {} warm-pool instance(s) {}", toPark.size(), toPark);
        }
        return workers;
    }

    private WorkerState classify(String id, String ec2State) {
        WorkerState intended = becoming.get(id);
        WorkerState actual = switch (ec2State) {
            case "pending" -> warming.contains(id) ? WorkerState.WARMING : WorkerState.STARTING;
            case "running" -> warming.contains(id) ? WorkerState.WARMING : WorkerState.RUNNING;
            case "stopped" -> WorkerState.WARM;
            default -> WorkerState.STOPPING;
        };
        if (intended == null) {
            return actual;
        }
        // EC2 reports a state change a moment after it accepted it: trust the intent until then.
        boolean arrived = switch (intended) {
            case STARTING, RUNNING -> ec2State.equals("pending") || ec2State.equals("running");
            case WARM -> ec2State.equals("stopped");
            default -> ec2State.equals("shutting-down");
        };
        if (arrived) {
            becoming.remove(id);
            return actual;
        }
        // An instance being parked is still live and already the pool's: warming until it has stopped.
        return intended == WorkerState.WARM ? WorkerState.WARMING : intended;
    }

    @Override
    public synchronized int warmPoolSize() {
        return settings.warmPoolSize();
    }

    @Override
    public Duration resumeDelay() {
        return START_FROM_STOPPED;
    }

    @Override
    public Duration launchDelay() {
        return RUN_FROM_AMI;
    }

    /** Stopping an instance ends its worker; a message it had received returns to the queue when its visibility times out. */
    @Override
    public boolean parkedWorkersMayHoldMessages() {
        return false;
    }

    @Override
    public synchronized int activate(int count) {
        List<Worker> workers = refresh();
        int room = settings.maxInstances() - count(workers).live();
        int activated = 0;
        List<String> toStart = workers.stream().filter(w -> w.state == WorkerState.WARM && "stopped".equals(w.ec2State))
                .sorted(Comparator.comparing(Worker::launched, Comparator.nullsLast(Comparator.naturalOrder())))
                .limit(Math.max(0, Math.min(count, room))).map(Worker::id).toList();
        if (!toStart.isEmpty()) {
            try {
                throttled("StartInstances", () -> ec2.startInstances(b -> b.instanceIds(toStart)));
                toStart.forEach(id -> {
                    becoming.put(id, WorkerState.STARTING);
                    // One parked while EC2 still showed it stopped must now serve, not be stopped once running.
                    warming.remove(id);
                });
                activated += toStart.size();
                room -= toStart.size();
                log.info("started {} instance(s) from the warm pool", toStart.size());
            } catch (Ec2Exception e) {
                if (!launchFailure(e)) {
                    throw e;
                }
            }
        }
        for (Worker worker : workers) {
            if (activated < count && worker.state == WorkerState.WARMING && warming.remove(worker.id)) {
                unseen.computeIfPresent(worker.id, (id, pool) -> false);
                activated++;
            }
        }
        if (activated < count && room > 0) {
            activated += launch(Math.min(count - activated, room), false);
        }
        return activated;
    }

    @Override
    public synchronized int deactivate(int count, boolean parkAllowed) {
        List<Worker> workers = refresh();
        FleetCounts fleet = count(workers);
        int vacancies = settings.warmPoolSize() - fleet.warm() - fleet.warming();
        int toPark = parkAllowed ? Math.max(0, Math.min(count, vacancies)) : 0;
        Comparator<Worker> newestFirst = Comparator.comparing(Worker::launched, Comparator.nullsFirst(Comparator.naturalOrder())).reversed();
        List<String> park = workers.stream().filter(w -> w.state == WorkerState.RUNNING && "running".equals(w.ec2State))
                .sorted(newestFirst).limit(toPark).map(Worker::id).toList();
        if (!park.isEmpty()) {
            throttled("StopInstances", () -> ec2.stopInstances(b -> b.instanceIds(park)));
            park.forEach(id -> becoming.put(id, WorkerState.WARM));
        }
        List<String> parkOnceRunning = parkOnceRunning(workers, toPark - park.size());
        List<Worker> stopFirst = new ArrayList<>(workers.stream()
                .filter(w -> w.state == WorkerState.STARTING && !parkOnceRunning.contains(w.id)).sorted(newestFirst).toList());
        stopFirst.addAll(workers.stream().filter(w -> w.state == WorkerState.RUNNING && !park.contains(w.id)).sorted(newestFirst).toList());
        int parked = park.size() + parkOnceRunning.size();
        List<String> terminate = stopFirst.stream().limit(Math.max(0, count - parked)).map(Worker::id).toList();
        terminate(terminate);
        return parked + terminate.size();
    }

    /**
     * EC2 stops only running instances, and terminating a pending one one that was started from the warm pool
     * throws away its disk with the model, and the pool would then be refilled by a run-from-AMI instance
     * that is live for 30-60 s. So pending instances join the pool the way a warm-pool launch does: they
     * count as warming and {@link #refresh()} stops them as soon as EC2 reports them running. Those
     * launched longest ago (the pool's own instances) go first.
     */
    private List<String> parkOnceRunning(List<Worker> workers, int vacancies) {
        if (vacancies <= 0) {
            return List.of();
        }
        List<String> ids = workers.stream().filter(w -> w.state == WorkerState.STARTING)
                .sorted(Comparator.comparing(Worker::launched, Comparator.nullsLast(Comparator.naturalOrder())))
                .limit(vacancies).map(Worker::id).toList();
        for (String id : ids) {
            becoming.remove(id);
            warming.add(id);
            unseen.computeIfPresent(id, (key, forWarmPool) -> true);
        }
        if (!ids.isEmpty()) {
            log.info("parking {} pending instance(s) once they run {}", ids.size(), ids);
        }
        return ids;
    }

    private void terminate(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        throttled("TerminateInstances", () -> ec2.terminateInstances(b -> b.instanceIds(ids)));
        ids.forEach(id -> {
            becoming.put(id, WorkerState.STOPPING);
            warming.remove(id);
            unseen.remove(id);
        });
        log.info("terminating {} instance(s) {}", ids.size(), ids);
    }

    @Override
    public synchronized int replenishWarmPool(int headroom) {
        FleetCounts fleet = count(refresh());
        int missing = settings.warmPoolSize() - fleet.warm() - fleet.warming();
        int room = settings.maxInstances() - fleet.live();
        int wanted = Math.max(0, Math.min(missing, Math.min(headroom, room)));
        return wanted == 0 ? 0 : launch(wanted, true);
    }

    /** Launches up to {@code count}; returns how many EC2 launched. */
    private int launch(int count, boolean forWarmPool) {
        if (System.nanoTime() - launchesPausedUntilNanos < 0) {
            log.debug("launches paused; not launching {}", count);
            return 0;
        }
        String token = clientToken();
        List<Instance> launched;
        try {
            launched = throttled("RunInstances", () -> ec2.runInstances(b -> b.launchTemplate(t -> t.launchTemplateId(settings.launchTemplateId())
                    .version("$Default")).minCount(1).maxCount(count).clientToken(token)).instances());
        } catch (Ec2Exception e) {
            if (launchFailure(e)) {
                return 0;
            }
            throw e;
        }
        for (Instance instance : launched) {
            unseen.put(instance.instanceId(), forWarmPool);
            if (forWarmPool) {
                warming.add(instance.instanceId());
            }
        }
        log.info("launched {} of {} instance(s){} (client token {})", launched.size(), count, forWarmPool ? " for the warm pool" : "", token);
        return launched.size();
    }

    /** One token per launch decision, reused by every retry of it. */
    private String clientToken() {
        String suffix = "-" + (++tokens) + "-" + UUID.randomUUID();
        String stack = settings.stack().length() + suffix.length() > MAX_TOKEN_LENGTH
                ? settings.stack().substring(0, MAX_TOKEN_LENGTH - suffix.length()) : settings.stack();
        return stack + suffix;
    }

    /** The launch errors that a retry now will not cure: pause launches and say why, in one line. */
    private boolean launchFailure(Ec2Exception e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String message;
        switch (code) {
            case "InsufficientInstanceCapacity" -> message = "EC2 has no capacity for more instances of this type in this availability zone now";
            case "Unsupported" -> message = "EC2 does not offer this instance type in this availability zone; choose another type "
                    + "(" + EnvNames.APP_INSTANCE_TYPE + ") or subnet";
            case "InstanceLimitExceeded", "VcpuLimitExceeded" -> message = "the account's EC2 instance or vCPU quota is reached; raise it "
                    + "or lower the maximum";
            case "RequestLimitExceeded" -> message = "EC2 keeps throttling the requests";
            default -> {
                return false;
            }
        }
        launchesPausedUntilNanos = System.nanoTime() + settings.launchPause().toNanos();
        log.warn("{} ({}); no launches for {} s", message, code, settings.launchPause().toSeconds());
        return true;
    }

    /** Retries EC2's throttling with backoff; the request, and so its client token, stays the same. */
    private <T> T throttled(String operation, Supplier<T> call) {
        Duration pause = Duration.ofMillis(500);
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (Ec2Exception e) {
                boolean throttled = e.awsErrorDetails() != null && "RequestLimitExceeded".equals(e.awsErrorDetails().errorCode());
                if (!throttled || attempt >= THROTTLE_ATTEMPTS) {
                    throw e;
                }
                log.info("{} throttled (RequestLimitExceeded, attempt {} of {}); retrying in {} ms", operation, attempt, THROTTLE_ATTEMPTS,
                        pause.toMillis());
                sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
    }

    private void sleep(Duration pause) {
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public synchronized void close() {
        for (int poll = 0; poll < CLOSE_POLLS; poll++) {
            List<Worker> workers = refresh();
            List<String> alive = workers.stream().filter(w -> !"shutting-down".equals(w.ec2State)).map(Worker::id).toList();
            if (workers.isEmpty()) {
                return;
            }
            terminate(alive);
            sleep(Duration.ofSeconds(5));
        }
        log.warn("app-tier instances of stack {} are still shutting down", settings.stack());
    }
}
