package dev.hybrid.contract;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The names of the {@code HYBRID_*} environment variables, the one place they are spelled in Java.
 *
 * <p>The orchestrator writes them (into a child process's environment, into user-data, into the
 * image recipes under {@code images/}), the web tier and the worker read them. The recipes under
 * {@code images/} and the {@code hybrid} launcher are shell and unit files and cannot import this
 * class: {@code ImageRecipeNamesTest} fails the build when they spell a name that is not here, or
 * miss a name a tier cannot start without. Picocli's {@code ${env:…}} defaults are built from these
 * constants, so a renamed variable is renamed for every tier at once.
 */
public final class EnvNames {
    /** Everything these names start with. */
    public static final String PREFIX = "HYBRID_";

    // --- Queues and buckets: written by the orchestrator, read by the web tier and the worker.

    /** URL of the request queue (web tier sends, worker receives). */
    public static final String REQUEST_QUEUE_URL = "HYBRID_REQUEST_QUEUE_URL";
    /** URL of the response queue (worker sends, web tier receives). */
    public static final String RESPONSE_QUEUE_URL = "HYBRID_RESPONSE_QUEUE_URL";
    /** URL of the dead-letter queue of the request queue (read by {@code hybrid status}). */
    public static final String DEAD_LETTER_QUEUE_URL = "HYBRID_DEAD_LETTER_QUEUE_URL";
    /** Bucket of the uploaded images and claim checks. */
    public static final String INPUT_BUCKET = "HYBRID_INPUT_BUCKET";
    /** Bucket of the labels and the result cache. */
    public static final String OUTPUT_BUCKET = "HYBRID_OUTPUT_BUCKET";
    /** {@code true}: path-style S3 addressing, as the S3 emulators need. */
    public static final String S3_PATH_STYLE = "HYBRID_S3_PATH_STYLE";

    // --- The model: set in the app-tier image (or by the orchestrator for local workers), read by the worker.

    /** The model's URL ({@code djl://…}, {@code s3://…}, {@code file:…}). */
    public static final String MODEL_URL = "HYBRID_MODEL_URL";
    /** A labels file, when the model does not bring its own. */
    public static final String MODEL_LABELS = "HYBRID_MODEL_LABELS";
    /** Label set and pre-processing: {@code cse546} or {@code imagenet}. */
    public static final String MODEL_PROFILE = "HYBRID_MODEL_PROFILE";

    // --- The worker's own settings.

    /** Batch processors sharing the one model. */
    public static final String WORKER_THREADS = "HYBRID_WORKER_THREADS";
    /** Most messages per receive and per forward pass. */
    public static final String WORKER_BATCH = "HYBRID_WORKER_BATCH";
    /** Seconds without requests after which a worker exits; 0 = never. */
    public static final String IDLE_EXIT_SECONDS = "HYBRID_IDLE_EXIT_SECONDS";
    /** The visibility timeout the worker's heartbeat keeps renewing. */
    public static final String VISIBILITY_TIMEOUT_SECONDS = "HYBRID_VISIBILITY_TIMEOUT_SECONDS";
    /** The worker's name in replies and logs. */
    public static final String WORKER_ID = "HYBRID_WORKER_ID";
    /** The worker's log level (read by its {@code logback.xml}). */
    public static final String WORKER_LOG_LEVEL = "HYBRID_WORKER_LOG_LEVEL";

    // --- The web tier's settings, and those of the workers it launches.

    /** Address the web tier listens on. */
    public static final String WEB_BIND = "HYBRID_WEB_BIND";
    /** Port the web tier listens on. */
    public static final String WEB_PORT = "HYBRID_WEB_PORT";
    /** Reply format: {@code label}, {@code name-label} or {@code json}. */
    public static final String REPLY = "HYBRID_REPLY";
    /** Seconds an upload waits for its answer. */
    public static final String DEADLINE_SECONDS = "HYBRID_DEADLINE_SECONDS";
    /** Most requests in flight before the web tier answers 503. */
    public static final String MAX_PENDING = "HYBRID_MAX_PENDING";
    /** Largest accepted upload. */
    public static final String MAX_IMAGE_BYTES = "HYBRID_MAX_IMAGE_BYTES";
    /** Upload bytes held in memory at once across all uploads; 0 for a quarter of the heap. */
    public static final String MAX_BUFFERED_BYTES = "HYBRID_MAX_BUFFERED_BYTES";
    /** Entries of the in-memory result cache. */
    public static final String CACHE_ENTRIES = "HYBRID_CACHE_ENTRIES";
    /** Threads long-polling the response queue. */
    public static final String REPLY_POLLERS = "HYBRID_REPLY_POLLERS";
    /** Long-poll seconds of the reply pollers. */
    public static final String REPLY_WAIT_SECONDS = "HYBRID_REPLY_WAIT_SECONDS";
    /** Memory a worker may use, heap and native together, in MiB; it bounds the largest image and each forward pass. */
    public static final String WORKER_MEMORY_MB = "HYBRID_WORKER_MEMORY_MB";
    /** Receives before the request queue moves a message to its dead letters; the last failing one is answered first. */
    public static final String MAX_RECEIVES = "HYBRID_MAX_RECEIVES";
    /** Where a worker caches its engine check's verdicts (per model, jar and CPU); default under DJL's cache. */
    public static final String ENGINE_CHECK_DIR = "HYBRID_ENGINE_CHECK_DIR";
    /** The address the local emulators listen on (default 127.0.0.1), e.g. a bridge that VMs on this machine reach. */
    public static final String EMULATOR_BIND = "HYBRID_EMULATOR_BIND";
    /** Where images/web-tier/build-local.sh keeps its disk images and installed systems. */
    public static final String IMAGE_CACHE = "HYBRID_IMAGE_CACHE";
    /** The pid of the web tier that started a local worker: the worker stops when that process is gone. */
    public static final String PARENT_PID = "HYBRID_PARENT_PID";
    /** The app-tier jar the web tier starts local worker processes from. */
    public static final String WORKER_JAR = "HYBRID_WORKER_JAR";
    /** Most workers the autoscaler runs. */
    public static final String WORKERS_MAX = "HYBRID_WORKERS_MAX";
    /** Stopped workers kept ready to start. */
    public static final String WARM_POOL = "HYBRID_WARM_POOL";
    /** Private base capacity: local workers that always run. */
    public static final String BASE_WORKERS = "HYBRID_BASE_WORKERS";
    /** The EC2 launch template the web tier launches workers from. */
    public static final String LAUNCH_TEMPLATE_ID = "HYBRID_LAUNCH_TEMPLATE_ID";
    /** The stack name: the value of the {@link TagKeys#STACK} tag of everything it owns. */
    public static final String STACK = "HYBRID_STACK";
    /** Directory of the local workers' logs. */
    public static final String WORKER_LOG_DIR = "HYBRID_WORKER_LOG_DIR";

    // --- The orchestrator's own: read by the hybrid command and its launcher script.

    /** The checkout the {@code hybrid} launcher runs from; the state directory lies below it. */
    public static final String HOME = "HYBRID_HOME";
    /** Where the state cache lives, instead of {@code $HYBRID_HOME/.hybrid}. */
    public static final String STATE_DIR = "HYBRID_STATE_DIR";
    /** The web tier's base URL for {@code classify} and {@code bench}. */
    public static final String URL = "HYBRID_URL";
    /** An existing app-tier AMI, instead of baking one. */
    public static final String APP_AMI = "HYBRID_APP_AMI";
    /** The VPC of the app tier, instead of the default VPC. */
    public static final String VPC_ID = "HYBRID_VPC_ID";
    /** Instance type of the workers and of the image builder. */
    public static final String APP_INSTANCE_TYPE = "HYBRID_APP_INSTANCE_TYPE";
    /** Extra JVM options of the {@code hybrid} launcher script. */
    public static final String JAVA_OPTS = "HYBRID_JAVA_OPTS";
    /** {@code 1}: run the tests against the devstack-lite cloud of this machine. */
    public static final String DEVSTACK_LITE = "HYBRID_DEVSTACK_LITE";

    private static final SortedSet<String> ALL = collect();

    private EnvNames() {}

    /** Every name above, sorted. */
    public static SortedSet<String> all() {
        return ALL;
    }

    private static SortedSet<String> collect() {
        SortedSet<String> names = new TreeSet<>();
        for (Field field : EnvNames.class.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && field.getType() == String.class
                    && !field.getName().equals("PREFIX")) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableSortedSet(names);
    }
}
