package dev.hybrid.worker.engine;

/**
 * Compares the logits the serving engine computed with the reference's.
 *
 * <p>The tolerance is relative to the largest reference logit (at least 1): {@value #RELATIVE_TOLERANCE}.
 * Two correct float32 engines differ only by summation order: float32 carries 24 bits (a relative
 * 6e-8 per operation), and the differences measured here were 1.5e-6 on a convolution whose outputs
 * reach 2.9 (libtorch 2.7 against float64, either instruction set) and 2-3e-6 on the equivalence
 * fixtures' logits (libtorch 1.13 against 2.7); see docs/model.md for ResNet-18's. The fault this
 * guards against was reported as 1.09 on outputs of at most 2.9, a relative 0.38. 1e-3 leaves a factor
 * of several hundred on either side.
 */
public final class LogitComparison {
    public static final double RELATIVE_TOLERANCE = 1e-3;

    private LogitComparison() {}

    public static EngineVerdict compare(float[] served, float[] reference) {
        if (served.length != reference.length) {
            return new EngineVerdict(EngineVerdict.Kind.DIFFERS, Double.POSITIVE_INFINITY, 0,
                    "the engine gave " + served.length + " logits, the SSE4.1 reference " + reference.length);
        }
        double scale = 1;
        for (float r : reference) {
            if (Float.isFinite(r)) {
                scale = Math.max(scale, Math.abs(r));
            }
        }
        double max = 0;
        int at = -1;
        for (int i = 0; i < served.length; i++) {
            double difference = Math.abs((double) served[i] - reference[i]);
            if (Double.isNaN(difference)) {
                difference = Float.isNaN(served[i]) && Float.isNaN(reference[i]) ? 0 : Double.POSITIVE_INFINITY;
            }
            if (difference > max) {
                max = difference;
                at = i;
            }
        }
        double tolerance = RELATIVE_TOLERANCE * scale;
        if (max <= tolerance) {
            return new EngineVerdict(EngineVerdict.Kind.AGREES, max, tolerance,
                    String.format("default instruction set agrees with the SSE4.1 reference: max |difference| %.3g <= %.3g", max, tolerance));
        }
        return new EngineVerdict(EngineVerdict.Kind.DIFFERS, max, tolerance, String.format(
                "default instruction set computed wrong logits: max |difference| %.3g (logit %d: %s, reference %s) > tolerance %.3g",
                max, at, served[at], reference[at], tolerance));
    }
}
