package dev.hybrid.cli.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Sends requests with at most {@code concurrency} in flight; results in the order of the images. */
public final class BoundedUploads {
    private BoundedUploads() {
    }

    public static List<WebTierClient.Classification> run(WebTierClient client, List<Path> images, int concurrency,
                                                  Consumer<WebTierClient.Classification> onEach) {
        return run(images.stream().map(image -> (Supplier<CompletableFuture<WebTierClient.Classification>>) () -> client.classify(image))
                .toList(), concurrency, onEach);
    }

    public static List<WebTierClient.Classification> run(List<Supplier<CompletableFuture<WebTierClient.Classification>>> requests,
                                                  int concurrency, Consumer<WebTierClient.Classification> onEach) {
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<WebTierClient.Classification>> pending = new ArrayList<>();
        for (Supplier<CompletableFuture<WebTierClient.Classification>> request : requests) {
            slots.acquireUninterruptibly();
            pending.add(request.get().whenComplete((result, failure) -> {
                slots.release();
                if (result != null) {
                    onEach.accept(result);
                }
            }));
        }
        return pending.stream().map(CompletableFuture::join).toList();
    }
}
