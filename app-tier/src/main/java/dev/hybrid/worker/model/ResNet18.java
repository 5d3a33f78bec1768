package dev.hybrid.worker.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * The ResNet-18 of torchvision (11,689,512 parameters): 7×7 stem, four stages of two basic
 * blocks with 64, 128, 256 and 512 channels, global average pool, 1000 classes. DJL's own
 * {@code ResNetV1} with 18 layers builds a much smaller network (1.4M parameters).
 */
final class ResNet18 {
    private ResNet18() {}

    static Block build() {
        SequentialBlock net = new SequentialBlock()
                .add(conv(64, 7, 2, 3))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int[] channels = {64, 128, 256, 512};
        for (int stage = 0; stage < channels.length; stage++) {
            int stride = stage == 0 ? 1 : 2;
            net.add(basicBlock(channels[stage], stride, stage > 0));
            net.add(basicBlock(channels[stage], 1, false));
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(1000).build());
    }

    private static Block basicBlock(int channels, int stride, boolean downsample) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(channels, 3, stride, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(channels, 3, 1, 1))
                .add(BatchNorm.builder().build());
        Block shortcut = downsample
                ? new SequentialBlock().add(conv(channels, 1, stride, 0)).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new ParallelBlock(outputs -> new NDList(Activation.relu(
                outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow()))), List.of(main, shortcut));
    }

    private static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).optBias(false).build();
    }
}
