/**
 * The engine check: whether libtorch's oneDNN computes the loaded model's logits on this CPU as it
 * does when limited to SSE4.1, decided once per model, worker jar and CPU and cached on disk, and
 * the restart of the worker with {@code DNNL_MAX_CPU_ISA=SSE41} when it does not.
 *
 * <p>May import {@code dev.hybrid.worker.model} (to load the model in the reference run), the JDK
 * and SLF4J; nothing of the worker loop, SQS or S3.
 */
package dev.hybrid.worker.engine;
