package dev.hybrid.simulation;

import dev.hybrid.web.scaling.Backlog;
import dev.hybrid.web.scaling.ComputeProvider;
import dev.hybrid.web.scaling.FleetCounts;
import dev.hybrid.web.scaling.ScalingController;
import dev.hybrid.web.scaling.ScalingPolicy;
import dev.hybrid.web.scaling.WorkerState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Discrete-event simulation of the real {@link ScalingController} and policy against a modelled fleet, on
 * virtual time: no sleeping, and the same scenario (seed included) always gives the same figures.
 * Arrivals trigger a decision at once, as the web tier's arrival hook does, and a tick covers the rest.
 */
public final class ScalingSimulation {
    private static final long VIRTUAL_TIME_LIMIT_MILLIS = Duration.ofHours(2).toMillis();

    private record Event(long at, long sequence, Runnable action) {
    }

    private final SimulationScenario scenario;
    /**
     * Arrivals and service times draw from one stream, start delays from another, so a policy that starts
     * fewer or more workers faces the very same images: figures of two policies differ by what they did.
     */
    private final Random workload;
    private final Random startDelays;
    /**
     * Boot leads have a stream of their own, so every start still takes the same total delay as without them:
     * a lead only moves the point within the start at which the instance reports {@code running}.
     */
    private final Random bootLeads;
    private final PriorityQueue<Event> events =
            new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::sequence));
    private final ArrayDeque<Long> queue = new ArrayDeque<>();
    private final List<SimulatedWorker> baseWorkers = new ArrayList<>();
    private final List<SimulatedWorker> elasticWorkers = new ArrayList<>();
    private final List<Long> latencies = new ArrayList<>();
    private final Fleet fleet = new Fleet();
    private final ScalingController controller;
    private long now;
    private long sequence;
    private int unanswered;
    private long firstArrival = Long.MAX_VALUE;
    private long lastReply = -1;
    private long firstActivation = -1;
    private long zeroAt = -1;
    private int peakInstances;

    private ScalingSimulation(SimulationScenario scenario) {
        this.scenario = scenario;
        this.workload = new Random(scenario.seed());
        this.startDelays = new Random(scenario.seed() ^ 0x5DEECE66DL);
        this.bootLeads = new Random(scenario.seed() ^ 0x2545F4914F6CDD1DL);
        for (int i = 0; i < scenario.baseCapacity(); i++) {
            baseWorkers.add(new SimulatedWorker(WorkerState.RUNNING));
        }
        for (int i = 0; i < scenario.warmPoolSize(); i++) {
            elasticWorkers.add(new SimulatedWorker(WorkerState.WARM));
        }
        ScalingPolicy policy = new ScalingPolicy(scenario.perWorkerTarget(), 0, scenario.maxWorkers(),
                scenario.baseCapacity());
        controller = new ScalingController(policy, () -> unanswered,
                () -> new Backlog(queue.size(), busyCount()), fleet,
                Duration.ofMillis(scenario.cooldownMillis()), () -> now);
    }

    public static SimulationResult run(SimulationScenario scenario) {
        return new ScalingSimulation(scenario).execute();
    }

    /** A 100-request burst for EC2-like and local delays, with and without warm pool and base capacity. */
    public static List<SimulationScenario> standardScenarios(long seed, int requests, long serviceMillis) {
        SimulationScenario ec2 = SimulationScenario.ec2("ec2 cold", seed, requests, serviceMillis);
        SimulationScenario local = SimulationScenario.local("local cold", seed, requests, serviceMillis);
        return List.of(
                ec2,
                ec2.withWarmPool(10).named("ec2 warm pool 10"),
                ec2.withWarmPool(20).named("ec2 warm pool 20"),
                ec2.withBaseCapacity(4).named("ec2 base 4"),
                ec2.withWarmPool(10).withBaseCapacity(4).named("ec2 warm 10 + base 4"),
                ec2.withWarmPool(20).withBaseCapacity(8).named("ec2 warm 20 + base 8"),
                local,
                local.withWarmPool(10).named("local warm pool 10"),
                local.withWarmPool(20).named("local warm pool 20"),
                local.withWarmPool(10).withBaseCapacity(2).named("local warm 10 + base 2"));
    }

    private SimulationResult execute() {
        scheduleArrivals();
        schedule(0, this::tick);
        while (!events.isEmpty()) {
            Event event = events.poll();
            now = event.at();
            if (now > VIRTUAL_TIME_LIMIT_MILLIS) {
                throw new IllegalStateException("simulation '" + scenario.name() + "' did not settle within "
                        + Duration.ofMillis(VIRTUAL_TIME_LIMIT_MILLIS));
            }
            event.action().run();
            observe();
        }
        return result();
    }

    private void scheduleArrivals() {
        for (int i = 0; i < scenario.requests(); i++) {
            long at = scenario.arrivalSpreadMillis() == 0 ? 0 : (long) (workload.nextDouble() * scenario.arrivalSpreadMillis());
            schedule(at, this::arrive);
        }
    }

    private void arrive() {
        firstArrival = Math.min(firstArrival, now);
        unanswered++;
        queue.add(now);
        controller.reconcile();
        dispatch();
    }

    private void tick() {
        controller.reconcile();
        dispatch();
        if (!settled()) {
            schedule(now + scenario.tickMillis(), this::tick);
        }
    }

    private boolean settled() {
        return latencies.size() == scenario.requests() && fleet.tally().live() == 0;
    }

    private void observe() {
        int live = fleet.tally().live();
        peakInstances = Math.max(peakInstances, live);
        if (latencies.size() == scenario.requests() && live == 0 && zeroAt < 0) {
            zeroAt = now;
        }
    }

    private void dispatch() {
        for (SimulatedWorker worker : idleServingWorkers()) {
            if (queue.isEmpty()) {
                return;
            }
            startService(worker, queue.poll());
        }
    }

    private List<SimulatedWorker> idleServingWorkers() {
        List<SimulatedWorker> idle = new ArrayList<>();
        for (SimulatedWorker worker : baseWorkers) {
            if (!worker.isBusy()) {
                idle.add(worker);
            }
        }
        for (SimulatedWorker worker : elasticWorkers) {
            if (worker.state == WorkerState.RUNNING && !worker.booting && !worker.isBusy()) {
                idle.add(worker);
            }
        }
        return idle;
    }

    private void startService(SimulatedWorker worker, long arrivedAt) {
        worker.busyWithArrivedAt = arrivedAt;
        double jitter = 1 + scenario.serviceJitter() * (2 * workload.nextDouble() - 1);
        long serviceMillis = Math.max(1, Math.round(scenario.serviceMillis() * jitter));
        schedule(now + serviceMillis, () -> finishService(worker));
    }

    private void finishService(SimulatedWorker worker) {
        latencies.add(now - worker.busyWithArrivedAt + scenario.transportMillis());
        worker.busyWithArrivedAt = -1;
        unanswered--;
        lastReply = now;
        if (worker.state == WorkerState.STOPPING) {
            scheduleStopped(worker);
        }
        dispatch();
    }

    private void scheduleStopped(SimulatedWorker worker) {
        long generation = worker.generation;
        schedule(now + scenario.stopMillis(), () -> {
            if (worker.generation != generation) {
                return;
            }
            if (worker.parkWhenStopped) {
                worker.state = WorkerState.WARM;
                worker.instanceRunning = false;
                worker.generation++;
            } else {
                elasticWorkers.remove(worker);
            }
        });
    }

    private int busyCount() {
        int busy = 0;
        for (SimulatedWorker worker : baseWorkers) {
            busy += worker.isBusy() ? 1 : 0;
        }
        for (SimulatedWorker worker : elasticWorkers) {
            busy += worker.isBusy() ? 1 : 0;
        }
        return busy;
    }

    private void schedule(long at, Runnable action) {
        events.add(new Event(at, sequence++, action));
    }

    private long delay(long min, long max) {
        return min + (max == min ? 0 : (long) (startDelays.nextDouble() * (max - min)));
    }

    private SimulationResult result() {
        List<Long> sorted = latencies.stream().sorted().toList();
        double average = sorted.stream().mapToLong(Long::longValue).average().orElse(0);
        long p99 = sorted.get(Math.max(0, (int) Math.ceil(0.99 * sorted.size()) - 1));
        long decisionDelay = firstActivation < 0 ? -1 : firstActivation - firstArrival;
        long timeToZero = zeroAt < 0 ? -1 : Math.max(0, zeroAt - lastReply);
        return new SimulationResult(scenario, lastReply - firstArrival, average, p99, peakInstances,
                decisionDelay, timeToZero);
    }

    /** The modelled compute, following the same contract as the real providers. */
    private final class Fleet implements ComputeProvider {

        /**
         * What the controller sees. A provider that sees instance states learns them here, as
         * {@code Ec2ComputeProvider} does from DescribeInstances at every decision: a worker parked while
         * pending that has reached {@code running} since the last decision is stopped now.
         */
        @Override
        public FleetCounts counts() {
            if (scenario.instanceStates()) {
                for (SimulatedWorker worker : List.copyOf(elasticWorkers)) {
                    if (worker.state == WorkerState.WARMING && worker.instanceRunning) {
                        stopToPark(worker);
                    }
                }
            }
            return tally();
        }

        /**
         * The fleet as it is, without a provider's poll. A worker booting after {@code running} counts as running:
         * a provider that sees instance states cannot tell it from one that serves.
         */
        FleetCounts tally() {
            int starting = 0, running = 0, stopping = 0, warming = 0, warm = 0;
            for (SimulatedWorker worker : elasticWorkers) {
                switch (worker.state) {
                    case STARTING -> starting++;
                    case RUNNING -> running++;
                    case STOPPING -> stopping++;
                    case WARMING -> warming++;
                    case WARM -> warm++;
                }
            }
            return new FleetCounts(starting, running, stopping, warming, warm);
        }

        @Override
        public int activate(int count) {
            int activated = 0;
            for (SimulatedWorker worker : List.copyOf(elasticWorkers)) {
                if (activated < count && worker.state == WorkerState.WARM) {
                    start(worker, WorkerState.STARTING, delay(scenario.warmStartMinMillis(), scenario.warmStartMaxMillis()));
                    activated++;
                }
            }
            for (SimulatedWorker worker : elasticWorkers) {
                if (activated < count && worker.state == WorkerState.WARMING) {
                    worker.state = worker.instanceRunning ? WorkerState.RUNNING : WorkerState.STARTING;
                    activated++;
                }
            }
            while (activated < count) {
                launch(WorkerState.STARTING);
                activated++;
            }
            if (activated > 0 && firstActivation < 0) {
                firstActivation = now;
            }
            return activated;
        }

        /** The short end of the modelled range, as a real provider would know it. */
        @Override
        public Duration resumeDelay() {
            return Duration.ofMillis(scenario.warmStartMinMillis());
        }

        @Override
        public Duration launchDelay() {
            return Duration.ofMillis(scenario.coldStartMinMillis());
        }

        @Override
        public boolean parkedWorkersMayHoldMessages() {
            return scenario.parkedHoldMessages();
        }

        @Override
        public int warmPoolSize() {
            return scenario.warmPoolSize();
        }

        @Override
        public int deactivate(int count, boolean parkAllowed) {
            int toPark = parkAllowed ? Math.max(0, Math.min(count, scenario.warmPoolSize() - poolSlotsTaken())) : 0;
            List<SimulatedWorker> parkFirst = inState(WorkerState.RUNNING, false);
            parkFirst.addAll(inState(WorkerState.RUNNING, true));
            parkFirst.addAll(inState(WorkerState.STARTING, false));
            List<SimulatedWorker> parked = List.copyOf(parkFirst.subList(0, Math.min(toPark, parkFirst.size())));
            parked.forEach(worker -> takeOut(worker, true));

            // Park the workers that are ready or nearest to it; stop the latest launches first.
            List<SimulatedWorker> stopFirst = inState(WorkerState.STARTING, false);
            java.util.Collections.reverse(stopFirst);
            stopFirst.addAll(inState(WorkerState.RUNNING, false));
            stopFirst.addAll(inState(WorkerState.RUNNING, true));
            int toStop = Math.min(count - parked.size(), stopFirst.size());
            List.copyOf(stopFirst.subList(0, toStop)).forEach(worker -> takeOut(worker, false));
            return parked.size() + toStop;
        }

        private List<SimulatedWorker> inState(WorkerState state, boolean busy) {
            List<SimulatedWorker> matching = new ArrayList<>();
            for (SimulatedWorker worker : elasticWorkers) {
                if (worker.state == state && worker.isBusy() == busy) {
                    matching.add(worker);
                }
            }
            return matching;
        }

        private void takeOut(SimulatedWorker worker, boolean park) {
            if (worker.state == WorkerState.STARTING) {
                if (park) {
                    worker.state = WorkerState.WARMING; // stopped once up (local) or seen running (EC2)
                } else {
                    worker.generation++;
                    elasticWorkers.remove(worker);
                }
                return;
            }
            // A worker still booting after `running` is stopped like any running one; it will not serve now.
            worker.state = WorkerState.STOPPING;
            worker.parkWhenStopped = park;
            worker.booting = false;
            worker.generation++;
            if (!worker.isBusy()) {
                scheduleStopped(worker);
            }
        }

        private int poolSlotsTaken() {
            int taken = 0;
            for (SimulatedWorker worker : elasticWorkers) {
                boolean headedForPool = worker.state == WorkerState.STOPPING && worker.parkWhenStopped;
                if (worker.state == WorkerState.WARM || worker.state == WorkerState.WARMING || headedForPool) {
                    taken++;
                }
            }
            return taken;
        }

        @Override
        public int replenishWarmPool(int headroom) {
            int launches = Math.max(0, Math.min(scenario.warmPoolSize() - poolSlotsTaken(), headroom));
            for (int i = 0; i < launches; i++) {
                launch(WorkerState.WARMING);
            }
            return launches;
        }

        private void launch(WorkerState initial) {
            SimulatedWorker worker = new SimulatedWorker(initial);
            elasticWorkers.add(worker);
            start(worker, initial, delay(scenario.coldStartMinMillis(), scenario.coldStartMaxMillis()));
        }

        /**
         * A start that serves after {@code delayMillis}. Where instance states are seen, the instance is
         * {@code pending} until the boot lead before that, then {@code running} (counted as running) while the
         * guest boots and the worker loads its model.
         */
        private void start(SimulatedWorker worker, WorkerState state, long delayMillis) {
            worker.state = state;
            worker.parkWhenStopped = false;
            worker.instanceRunning = false;
            worker.booting = false;
            long generation = ++worker.generation;
            if (scenario.instanceStates()) {
                long leadMillis = bootLead();
                schedule(now + delayMillis - leadMillis, () -> {
                    if (worker.generation != generation) {
                        return;
                    }
                    worker.instanceRunning = true;
                    worker.booting = true;
                    if (worker.state == WorkerState.STARTING) {
                        worker.state = WorkerState.RUNNING;
                    }
                    // Parked while pending (WARMING): the next decision sees it running and stops it.
                });
            }
            schedule(now + delayMillis, () -> {
                if (worker.generation != generation) {
                    return;
                }
                worker.booting = false;
                if (worker.state == WorkerState.STARTING || worker.state == WorkerState.RUNNING) {
                    worker.state = WorkerState.RUNNING;
                    dispatch();
                } else if (worker.state == WorkerState.WARMING && !scenario.instanceStates()) {
                    // Parked while starting: stopped at its ready line, which takes as long as any other stop.
                    stopToPark(worker);
                }
            });
        }

        private long bootLead() {
            long min = scenario.bootLeadMinMillis();
            long max = scenario.bootLeadMaxMillis();
            return min + (max == min ? 0 : (long) (bootLeads.nextDouble() * (max - min)));
        }

        private void stopToPark(SimulatedWorker worker) {
            worker.state = WorkerState.STOPPING;
            worker.parkWhenStopped = true;
            worker.booting = false;
            worker.generation++;
            scheduleStopped(worker);
        }

        @Override
        public void close() {
            elasticWorkers.clear();
        }
    }
}
