package dev.hybrid.web.scaling;

/** What one reconciliation saw and did. */
public record Decision(Demand demand, int desired, FleetCounts before, int activated, int deactivated, int replenished) {
    public boolean changedFleet() {
        return activated > 0 || deactivated > 0 || replenished > 0;
    }
}
