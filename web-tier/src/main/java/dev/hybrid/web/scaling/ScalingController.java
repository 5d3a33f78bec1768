package dev.hybrid.web.scaling;

import java.time.Duration;
import java.util.Objects;
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

    private final ScalingPolicy policy;
    private final DemandSource demandSource;
    private final BacklogSource backlogSource;
    private final ComputeProvider provider;
    private final long cooldownMillis;
    private final LongSupplier clockMillis;

    private long surplusSinceMillis = NO_SURPLUS;
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
        int desired = desiredWithWarmPool(demand, before);
        lastDesired = desired;

        int activated = 0;
        int deactivated = 0;
        int serving = before.serving();
        if (desired >= serving) {
            surplusSinceMillis = NO_SURPLUS;
            int headroom = policy.maxWorkers() - before.live();
            int wanted = Math.min(desired - serving, headroom);
            if (wanted > 0) {
                activated = provider.activate(wanted);
            }
        } else if (cooledDown()) {
            deactivated = scaleIn(serving - desired, demand, before);
        }

        int replenished = 0;
        if (demand.total() == 0) {
            FleetCounts now = provider.counts();
            if (now.serving() == 0) {
                replenished = provider.replenishWarmPool(policy.maxWorkers() - now.live());
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
        if (demand.total() > 0 && counts.warm() > 0) {
            desired = Math.max(desired, Math.min(policy.maxWorkers(), counts.serving() + counts.warm()));
        }
        return desired;
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
    private boolean cooledDown() {
        long now = clockMillis.getAsLong();
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
