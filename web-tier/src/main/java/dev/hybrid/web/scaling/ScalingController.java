package dev.hybrid.web.scaling;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares demand with the fleet and tells the provider what to change. Reconciliations are serialised,
 * and each one launches at most {@code maxWorkers - live}, with live counting pending starts, so the
 * maximum holds however many threads trigger at once. Time comes from an injected clock so the same
 * logic runs in the simulation on virtual time.
 */
public final class ScalingController implements ScalingMetrics {
    private static final Logger log = LoggerFactory.getLogger(ScalingController.class);
    private static final long NO_SURPLUS = Long.MIN_VALUE;
    private static final long NO_DEMAND = Long.MIN_VALUE;
    /**
     * With workers already serving and no service rate measured yet, starts slower than this wait up to
     * this long for a measurement (the target for a scale-out decision is 1 s after the first request).
     */
    static final long MEASURE_FIRST_MILLIS = 500;

    private final ScalingPolicy policy;
    private final DemandSource demandSource;
    private final BacklogSource backlogSource;
    private final ComputeProvider provider;
    private final long cooldownMillis;
    private final LongSupplier clockMillis;

    private long surplusSinceMillis = NO_SURPLUS;
    private long demandSinceMillis = NO_DEMAND;
    private final ServiceRate serviceRate = new ServiceRate();
    private volatile int lastDesired;

    public ScalingController(ScalingPolicy policy, DemandSource demandSource, BacklogSource backlogSource,
                             ComputeProvider provider, Duration cooldown, LongSupplier clockMillis) {
        this.policy = Objects.requireNonNull(policy);
        this.demandSource = Objects.requireNonNull(demandSource);
        this.backlogSource = Objects.requireNonNull(backlogSource);
        this.provider = Objects.requireNonNull(provider);
        this.cooldownMillis = cooldown.toMillis();
        this.clockMillis = Objects.requireNonNull(clockMillis);
    }

    public synchronized Decision reconcile() {
        Demand demand = Demand.of(backlogSource.read(), demandSource.pendingHttp());
        FleetCounts before = provider.counts();
        long now = clockMillis.getAsLong();
        serviceRate.observe(now, demand.total(), policy.baseCapacity() + before.running());
        if (demand.total() == 0) {
            demandSinceMillis = NO_DEMAND;
        } else if (demandSinceMillis == NO_DEMAND) {
            demandSinceMillis = now;
        }
        int desired = desiredWithWarmPool(demand, before);
        lastDesired = desired;

        int activated = 0;
        int deactivated = 0;
        int serving = before.serving();
        if (desired >= serving) {
            surplusSinceMillis = NO_SURPLUS;
            int headroom = policy.maxWorkers() - before.live();
            int wanted = Math.min(Math.min(desired - serving, headroom), worthStarting(demand, before, now));
            if (wanted > 0) {
                activated = provider.activate(wanted);
            }
        } else if (cooledDown(now)) {
            deactivated = scaleIn(serving - desired, demand, before);
        }

        int replenished = 0;
        if (demand.total() == 0) {
            FleetCounts after = provider.counts();
            if (after.serving() == 0) {
                replenished = provider.replenishWarmPool(policy.maxWorkers() - after.live());
            }
        }
        Decision decision = new Decision(demand, desired, before, activated, deactivated, replenished);
        if (decision.changedFleet()) {
            log.debug("scaling: demand={} desired={} fleet={} activated={} deactivated={} replenished={}",
                    demand.total(), desired, before, activated, deactivated, replenished);
        }
        return decision;
    }

    /**
     * Parked local workers may hold a message their long poll received just before they were suspended,
     * so any demand wakes the whole pool; such a message then shows as in flight and keeps demand above
     * zero until a resumed worker has answered it.
     */
    private int desiredWithWarmPool(Demand demand, FleetCounts counts) {
        int desired = policy.desiredWorkers(demand);
        if (wakesWholePool(demand, counts)) {
            desired = Math.max(desired, Math.min(policy.maxWorkers(), counts.serving() + counts.warm()));
        }
        return desired;
    }

    private boolean wakesWholePool(Demand demand, FleetCounts counts) {
        return demand.total() > 0 && counts.warm() > 0 && provider.parkedWorkersMayHoldMessages();
    }

    /**
     * How many more workers can still help: a worker that comes up after the workers already serving
     * (base capacity included) have drained the demand only delays the return to zero. Resumed pool
     * workers come up after {@code resumeDelay}, launches after {@code launchDelay}; the demand left
     * by then is projected from the measured service rate, and the policy sizes the fleet for it.
     * Nobody serving, or a pool that may hold messages, means no limit here.
     */
    private int worthStarting(Demand demand, FleetCounts counts, long now) {
        int ready = policy.baseCapacity() + counts.running();
        if (ready == 0) {
            return Integer.MAX_VALUE;
        }
        int heldMessages = wakesWholePool(demand, counts) ? counts.warm() : 0;
        long resumeMillis = provider.resumeDelay().toMillis();
        long launchMillis = provider.launchDelay().toMillis();
        OptionalDouble rate = serviceRate.perWorkerPerMilli();
        if (rate.isEmpty()) {
            if (now - demandSinceMillis >= MEASURE_FIRST_MILLIS || launchMillis <= MEASURE_FIRST_MILLIS) {
                return Integer.MAX_VALUE;
            }
            int fast = resumeMillis <= MEASURE_FIRST_MILLIS ? counts.warm() : 0;
            return Math.max(heldMessages, fast);
        }
        int byResume = Math.min(counts.warm(), neededAfter(resumeMillis, demand, ready, rate.getAsDouble(), counts));
        int byLaunch = neededAfter(launchMillis, demand, ready, rate.getAsDouble(), counts);
        return Math.max(heldMessages, Math.max(byResume, byLaunch));
    }

    private int neededAfter(long delayMillis, Demand demand, int ready, double perWorkerPerMilli, FleetCounts counts) {
        double drained = perWorkerPerMilli * ready * delayMillis;
        int left = (int) Math.max(0, Math.ceil(demand.total() - drained));
        return Math.max(0, policy.desiredWorkers(new Demand(0, 0, left)) - counts.serving());
    }

    /**
     * While demand remains, surplus workers the warm pool could take keep serving: parking them now would
     * wake them again at the next decision (see above), and stopping them would cost a cold start to
     * refill the pool. They are parked once demand reaches zero.
     */
    private int scaleIn(int surplus, Demand demand, FleetCounts counts) {
        if (demand.total() == 0) {
            return provider.deactivate(surplus, true);
        }
        int poolVacancies = Math.max(0, provider.warmPoolSize() - counts.warm() - counts.warming());
        int toStop = surplus - poolVacancies;
        return toStop > 0 ? provider.deactivate(toStop, false) : 0;
    }

    /** Surplus must persist for the cooldown before workers go, so a short lull does not cost a cold start. */
    private boolean cooledDown(long now) {
        if (surplusSinceMillis == NO_SURPLUS) {
            surplusSinceMillis = now;
        }
        return now - surplusSinceMillis >= cooldownMillis;
    }

    public ScalingPolicy policy() {
        return policy;
    }

    @Override
    public ScalingSnapshot snapshot() {
        return ScalingSnapshot.of(lastDesired, provider.counts());
    }
}
