package dev.hybrid.worker;

import dev.hybrid.contract.EnvNames;
import dev.hybrid.contract.ParentProcess;
import dev.hybrid.worker.engine.EngineCheck;
import dev.hybrid.worker.engine.EngineVerdict;
import dev.hybrid.worker.model.ImageClassifier;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "hybrid-worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Long-polls the request queue, classifies each batch in one forward pass, stores the images and labels in S3 "
                + "and replies on the response queue. Every flag can also be set by the environment variable named in its description; "
                + "credentials come from the AWS default chain only.")
public final class WorkerMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    /** systemd's default stop timeout is 90 s; a batch in hand finishes well before that. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(80);

    /** SQS's longest long poll; a stopping worker waits this long at most for its open polls to return. */
    static final int QUEUE_RECEIVE_WAIT_SECONDS = 20;

    @Option(names = "--request-queue-url", description = "Request queue URL (" + EnvNames.REQUEST_QUEUE_URL + ").")
    String requestQueueUrl;

    @Option(names = "--response-queue-url", description = "Response queue URL (" + EnvNames.RESPONSE_QUEUE_URL + ").")
    String responseQueueUrl;

    @Option(names = "--input-bucket", description = "Bucket for the input images (" + EnvNames.INPUT_BUCKET + ").")
    String inputBucket;

    @Option(names = "--output-bucket", description = "Bucket for the labels (" + EnvNames.OUTPUT_BUCKET + ").")
    String outputBucket;

    @Option(names = "--region", description = "AWS region (AWS_REGION); unset: the SDK's region chain.")
    String region;

    @Option(names = "--sqs-endpoint", description = "SQS endpoint override (AWS_ENDPOINT_URL_SQS, else AWS_ENDPOINT_URL).")
    String sqsEndpoint;

    @Option(names = "--s3-endpoint", description = "S3 endpoint override (AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL).")
    String s3Endpoint;

    @Option(names = "--path-style", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Path-style S3 addressing, needed by S3Proxy (" + EnvNames.S3_PATH_STYLE + ").")
    boolean pathStyle;

    @Option(names = "--threads", defaultValue = "1",
            description = "Batch processors sharing the one model (" + EnvNames.WORKER_THREADS + ", default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch", defaultValue = "10",
            description = "Most messages per receive and per forward pass, 1-10 (" + EnvNames.WORKER_BATCH + ", default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--idle-exit", defaultValue = "0", paramLabel = "SECONDS",
            description = "Exit after this long without requests; 0 = never (" + EnvNames.IDLE_EXIT_SECONDS + ", default ${DEFAULT-VALUE}).")
    long idleExitSeconds;

    @Option(names = "--visibility-timeout", paramLabel = "SECONDS",
            description = "Visibility timeout the heartbeat keeps renewing (" + EnvNames.VISIBILITY_TIMEOUT_SECONDS + "); unset: the queue's own.")
    Long visibilityTimeoutSeconds;

    @Option(names = "--memory-budget", paramLabel = "MB",
            description = "Memory this worker may use, heap and native together; it bounds the largest image and each forward pass "
                    + "(" + EnvNames.WORKER_MEMORY_MB + "); unset: 80% of the machine's memory.")
    Long memoryBudgetMb;

    @Option(names = "--max-receives", paramLabel = "N",
            description = "Receives before the queue moves a request to the dead-letter queue; a request that fails on the last "
                    + "one is answered with an error first (" + EnvNames.MAX_RECEIVES + "); unset: the queue's redrive policy, else 5.")
    Integer maxReceives;

    @Option(names = "--worker-id", description = "Name in replies and logs (" + EnvNames.WORKER_ID + ", default hostname-pid).")
    String workerId;

    @Option(names = "--model", defaultValue = "djl://ai.djl.pytorch/resnet",
            description = "Model URL (" + EnvNames.MODEL_URL + ", default ${DEFAULT-VALUE}).")
    String modelUrl;

    @Option(names = "--labels", description = "Labels file; unset when the model brings its own (" + EnvNames.MODEL_LABELS + ").")
    String labels;

    @Option(names = "--profile", description = "Label set and pre-processing: cse546 or imagenet (" + EnvNames.MODEL_PROFILE + ").")
    String profile;

    private final ClassifierLoader loader;
    private final PrintStream out;
    private final Map<String, String> env;
    private final boolean engineChecks;

    WorkerMain(ClassifierLoader loader, PrintStream out) {
        this(loader, out, Map.of(), false);
    }

    WorkerMain(ClassifierLoader loader, PrintStream out, Map<String, String> env, boolean engineChecks) {
        this.loader = loader;
        this.out = out;
        this.env = env;
        this.engineChecks = engineChecks;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), ModelLoading::load, true, System.out, System.err));
    }

    /** Parses, runs until stopped or idle, and returns the exit code: 0 done, 1 failed, 2 bad configuration. */
    static int run(String[] args, Map<String, String> env, ClassifierLoader loader, PrintStream out, PrintStream err) {
        return run(args, env, loader, false, out, err);
    }

    /** As above; with {@code engineChecks} the model's engine is checked against the SSE4.1 reference ({@link EngineCheck}). */
    static int run(String[] args, Map<String, String> env, ClassifierLoader loader, boolean engineChecks, PrintStream out, PrintStream err) {
        // Launched by a web tier on this machine: end with it, however it ends (a SIGKILL runs none of its hooks).
        // System.exit runs the shutdown hook that stops the worker as SIGTERM would.
        try {
            ParentProcess.whenGone(env, () -> {
                log.warn("the web tier that launched this worker ({}={}) is gone: stopping", ParentProcess.PARENT_PID_ENV,
                        env.get(ParentProcess.PARENT_PID_ENV));
                System.exit(0);
            });
        } catch (IllegalArgumentException e) {
            err.println("hybrid-worker: " + e.getMessage());
            return 2;
        }
        CommandLine commandLine = new CommandLine(new WorkerMain(loader, out, env, engineChecks))
                .setDefaultValueProvider(new EnvironmentDefaults(env))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            err.println("hybrid-worker: " + e.getMessage() + " (see --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, ignored, parsed) -> {
            boolean configuration = e instanceof ConfigurationException || e instanceof IllegalArgumentException;
            err.println("hybrid-worker: " + oneLine(e));
            return configuration ? 2 : 1;
        });
        return commandLine.execute(args);
    }

    @Option(names = "--prefetch-model", description = {"Load the model once, so that DJL caches its weights and native library "
            + "(under DJL_CACHE_DIR), then exit: 0 when real weights were had, 1 when only the untrained fallback was.",
            "Image bakes run this so workers never download at boot. Needs no queue or bucket settings."})
    boolean prefetchModel;

    @Option(names = "--class-archive-workload", hidden = true, description = "Load the model, classify one image and make a batch's "
            + "SQS and S3 calls against a refusing loopback port, then exit 0: the workload a class-data archive is written from.")
    boolean classArchiveWorkload;

    @Override
    public Integer call() throws Exception {
        if (prefetchModel) {
            return prefetch();
        }
        ModelOptions options = modelOptions();
        EngineCheck check = engineChecks ? EngineCheck.of(options.url(), options.labels(), options.profile(), env) : null;
        Optional<EngineVerdict> known = check == null ? Optional.empty() : check.cached();
        if (classArchiveWorkload) {
            // The class-archive run, once per jar, also makes the engine check, so that the first worker finds its verdict cached.
            EngineCheck.Reference reference = check != null && known.isEmpty() ? check.startReference() : null;
            try (ImageClassifier classifier = loader.load(options)) {
                if (reference != null) {
                    check.verify(classifier, reference);
                }
                ClassArchiveWorkload.callTheServices();
            }
            return 0;
        }
        WorkerSettings settings = settings();
        if (known.isPresent() && check.mustRestart(known.get())) {
            // Decided before: this engine computes this model wrong. Nothing of libtorch is loaded yet.
            check.report(known.get());
            return check.restartWithSafeIsa();
        }
        // Once per model, jar and CPU: the reference JVM loads the model beside this one.
        EngineCheck.Reference reference = check != null && known.isEmpty() ? check.startReference() : null;
        // Starting the SDK (class loading, the first call) takes about as long as loading the model: on two cores they overlap.
        CompletableFuture<Connection> connecting = CompletableFuture.supplyAsync(() -> Connection.open(settings), Connection.STARTER);
        ImageClassifier classifier;
        try {
            classifier = loader.load(options);
            if (check != null) {
                EngineVerdict verdict = reference != null ? check.verify(classifier, reference) : known.get();
                if (reference == null) {
                    check.report(verdict);
                }
                if (check.mustRestart(verdict)) {
                    classifier.close();
                    connecting.thenAccept(connection -> connection.aws().close());
                    return check.restartWithSafeIsa();
                }
                classifier = new EngineReportingClassifier(classifier, check.replyField(verdict));
            }
        } catch (Exception e) {
            if (reference != null) {
                reference.cancel();
            }
            connecting.thenAccept(connection -> connection.aws().close());
            throw e;
        }
        Connection connection;
        try {
            connection = Connection.await(connecting);
        } catch (Exception e) {
            classifier.close();
            throw e;
        }
        try (WorkerAwsClients aws = connection.aws(); Worker worker = new Worker(settings, aws, classifier, connection.limits())) {
            WorkerSummary summary = new WorkerSummary(settings.workerId(), worker);
            Thread hook = new Thread(() -> stopOnSignal(worker, summary), "worker-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            worker.start();
            if (classifier.untrained()) {
                log.warn("**************************************************************************************");
                log.warn("* NO TRAINED WEIGHTS: model {} is randomly initialised; its labels are meaningless *", classifier.modelId());
                log.warn("**************************************************************************************");
            }
            out.println("hybrid-worker ready worker=" + settings.workerId() + " model=" + classifier.modelId()
                    + " untrained=" + classifier.untrained());
            out.flush();
            worker.awaitFinished();
            removeQuietly(hook);
            summary.close();
            return 0;
        } finally {
            classifier.close();
        }
    }

    /** The worker's clients, and the request queue's visibility timeout and receive limit read through them. */
    private record Connection(WorkerAwsClients aws, Worker.QueueLimits limits) {
        static final Executor STARTER = runnable -> {
            Thread thread = new Thread(runnable, "worker-connect");
            thread.setDaemon(true);
            thread.start();
        };

        static Connection open(WorkerSettings settings) {
            WorkerAwsClients aws = WorkerAwsClients.create(settings);
            try {
                return new Connection(aws, Worker.QueueLimits.of(settings, aws));
            } catch (RuntimeException e) {
                aws.close();
                throw e;
            }
        }

        /** The connection, or its failure as it was thrown. */
        static Connection await(CompletableFuture<Connection> connecting) throws Exception {
            try {
                return connecting.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    private int prefetch() throws Exception {
        try (ImageClassifier classifier = loader.load(modelOptions())) {
            if (classifier.untrained()) {
                out.println("hybrid-worker: the model " + (modelUrl == null ? "(default)" : modelUrl) + " could not be fetched; "
                        + "only the untrained fallback loaded, so nothing was cached (is the network or the bucket reachable?)");
                return 1;
            }
            out.println("hybrid-worker prefetched model=" + classifier.modelId());
            return 0;
        }
    }

    /**
     * SIGTERM: finish the batches in hand, then exit 0 rather than the JVM's 143, since stopping
     * on request is the normal end of a worker.
     */
    private static void stopOnSignal(Worker worker, WorkerSummary summary) {
        try {
            log.info("stop requested: ending the open long polls (at most {} s) and finishing the batches in hand",
                    QUEUE_RECEIVE_WAIT_SECONDS);
            if (!worker.stop(SHUTDOWN_GRACE)) {
                log.warn("batches still running after {} s; their requests return to the queue", SHUTDOWN_GRACE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        summary.close();
        Runtime.getRuntime().halt(0);
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running and will end the process itself.
        }
    }

    private ModelOptions modelOptions() {
        if (memoryBudgetMb != null && memoryBudgetMb < dev.hybrid.worker.model.MemoryBudget.MIN_BUDGET_MB) {
            throw new ConfigurationException("--memory-budget must be at least " + dev.hybrid.worker.model.MemoryBudget.MIN_BUDGET_MB
                    + " MB, got " + memoryBudgetMb);
        }
        return new ModelOptions(modelUrl, blankToNull(labels), blankToNull(profile), memoryBudgetMb);
    }

    WorkerSettings settings() {
        return new WorkerSettings(
                required(requestQueueUrl, "--request-queue-url"),
                required(responseQueueUrl, "--response-queue-url"),
                required(inputBucket, "--input-bucket"),
                required(outputBucket, "--output-bucket"),
                blankToNull(region),
                endpoint(sqsEndpoint, "--sqs-endpoint"),
                endpoint(s3Endpoint, "--s3-endpoint"),
                pathStyle, threads, batch, QUEUE_RECEIVE_WAIT_SECONDS,
                seconds(idleExitSeconds, "--idle-exit"),
                visibilityTimeoutSeconds == null ? null : visibilityTimeout(visibilityTimeoutSeconds),
                workerId == null || workerId.isBlank() ? defaultWorkerId() : workerId,
                maxReceives);
    }

    private static String required(String value, String flag) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("missing " + flag + ": set the flag or " + EnvironmentDefaults.VARIABLES.get(flag));
        }
        return value.trim();
    }

    private static URI endpoint(String value, String flag) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new URISyntaxException(value, "expected http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(flag + " must be an http(s) URL such as http://127.0.0.1:9324, got '" + value + "'");
        }
    }

    private static Duration seconds(long value, String flag) {
        if (value < 0) {
            throw new ConfigurationException(flag + " must be 0 or more seconds, got " + value);
        }
        return Duration.ofSeconds(value);
    }

    private static Duration visibilityTimeout(long value) {
        // SQS accepts 0-43200 s; below 2 s a heartbeat every half timeout cannot keep up.
        if (value < 2 || value > 43_200) {
            throw new ConfigurationException("--visibility-timeout must be between 2 and 43200 seconds, got " + value);
        }
        return Duration.ofSeconds(value);
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ");
    }
}
