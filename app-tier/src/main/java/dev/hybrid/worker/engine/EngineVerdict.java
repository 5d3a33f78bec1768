package dev.hybrid.worker.engine;

/**
 * What the engine check found for one model, worker jar and CPU.
 *
 * @param kind          the outcome
 * @param maxDifference the largest absolute difference between a served logit and the reference's (NaN when unchecked)
 * @param tolerance     the largest difference accepted for these logits (NaN when unchecked)
 * @param detail        one line for logs and {@code /healthz}
 */
public record EngineVerdict(Kind kind, double maxDifference, double tolerance, String detail) {
    public enum Kind {
        /** The default instruction set agrees with the SSE4.1 reference. */
        AGREES,
        /** The default instruction set computed logits beyond the tolerance from the reference. */
        DIFFERS,
        /** No reference could be computed (the run failed or timed out); nothing is known. */
        UNCHECKED
    }

    public static EngineVerdict unchecked(String why) {
        return new EngineVerdict(Kind.UNCHECKED, Double.NaN, Double.NaN, why);
    }

    public boolean differs() {
        return kind == Kind.DIFFERS;
    }
}
