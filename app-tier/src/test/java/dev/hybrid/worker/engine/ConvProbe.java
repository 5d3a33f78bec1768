package dev.hybrid.worker.engine;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link EngineReproductionTest} (oneDNN reads DNNL_MAX_CPU_ISA from the
 * environment of the process): loads the fixture convolution with DJL, runs it on the fixture input
 * and prints the output's float bits on one line.
 */
public final class ConvProbe {
    private ConvProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        FloatBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("input.f32"))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] input = new float[buffer.remaining()];
        buffer.get(input);
        try (Model model = Model.newInstance("conv28to48", "PyTorch")) {
            model.load(dir.resolve("conv28to48.pt"));
            try (NDManager manager = model.getNDManager().newSubManager()) {
                float[] output = model.getBlock().forward(new ParameterStore(manager, false),
                        new NDList(manager.create(input, new Shape(4, 28, 11, 11))), false).singletonOrThrow().toFloatArray();
                System.out.println("conv-output " + ReferenceRun.format(output));
            }
        }
    }
}
