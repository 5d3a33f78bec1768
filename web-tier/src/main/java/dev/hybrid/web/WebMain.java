package dev.hybrid.web;

import dev.hybrid.contract.EnvNames;
import dev.hybrid.web.scaling.AutoScaler;
import dev.hybrid.web.scaling.BaseCapacity;
import dev.hybrid.web.scaling.LocalProcessProvider;
import dev.hybrid.web.scaling.ComputeProvider;
import dev.hybrid.web.scaling.Ec2ComputeProvider;
import dev.hybrid.web.scaling.Ec2ProviderSettings;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.ec2.Ec2Client;
import dev.hybrid.web.scaling.LocalProcessSettings;
import dev.hybrid.web.scaling.ScalingController;
import dev.hybrid.web.scaling.ScalingPolicy;
import dev.hybrid.web.scaling.ScalingSnapshot;
import dev.hybrid.web.scaling.SqsBacklogSource;
import dev.hybrid.web.scaling.WorkerEnvironment;
import dev.hybrid.contract.WorkerLimits;
import dev.hybrid.web.scaling.WorkerClassArchive;
import io.javalin.Javalin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The web tier. Every option can also come from the environment variable named in its help;
 * credentials only come from the AWS default chain (environment, instance profile), never a flag.
 */
@Command(name = "hybrid-web", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Takes image uploads, classifies them through SQS and the app tier, caches results, autoscales workers.")
public final class WebMain implements Callable<Integer> {
    /**
     * Local workers share this machine: each gets the machine's memory (less the web tier's and the emulators') divided
     * by the most workers that may run at once, unless {@code HYBRID_WORKER_MEMORY_MB} is set already. Logged, and
     * shown by {@code /healthz} as {@code workerMemoryBudgetMb}.
     */
    private static Map<String, String> withWorkerMemoryBudget(Map<String, String> env, WebConfig config) {
        String given = System.getenv(WorkerLimits.MEMORY_BUDGET_MB_ENV);
        boolean set = given != null && !given.isBlank();
        int workers = (config.launchTemplateId() == null ? config.workersMax() : 0) + config.baseWorkers();
        long machineMb = LocalProcessSettings.machineMemoryBytes() / (1024 * 1024);
        long budget;
        try {
            budget = set ? Long.parseLong(given.trim())
                    : LocalProcessSettings.workerMemoryBudgetMb(LocalProcessSettings.machineMemoryBytes(), workers);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(WorkerLimits.MEMORY_BUDGET_MB_ENV + " must be a whole number of MB, not '" + given + "'");
        }
        log.info("local workers: memory budget {} MB each (heap {} MB), {} MB of this machine's {} MB shared by at most {} workers{}",
                budget, LocalProcessSettings.workerHeapMb(budget), budget * Math.max(1, workers), machineMb, Math.max(1, workers),
                set ? " (set by " + WorkerLimits.MEMORY_BUDGET_MB_ENV + ")" : "");
        WORKER_MEMORY.set(new Health.WorkerMemory(budget, LocalProcessSettings.workerHeapMb(budget),
                set ? WorkerLimits.MEMORY_BUDGET_MB_ENV : Health.WorkerMemory.DERIVED, machineMb, Math.max(1, workers)));
        Map<String, String> withBudget = new java.util.HashMap<>(env);
        withBudget.put(WorkerLimits.MEMORY_BUDGET_MB_ENV, Long.toString(budget));
        return Map.copyOf(withBudget);
    }

    /** The local workers' memory budget, its heap share and where it came from, for {@code /healthz}; null without local workers. */
    static final AtomicReference<Health.WorkerMemory> WORKER_MEMORY = new AtomicReference<>();

    private static final Logger log = LoggerFactory.getLogger(WebMain.class);
    /** How long a connection may stay silent, mid-body or between requests. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--request-queue-url", defaultValue = "${env:" + EnvNames.REQUEST_QUEUE_URL + "}", description = "$" + EnvNames.REQUEST_QUEUE_URL)
    String requestQueueUrl;
    @Option(names = "--response-queue-url", defaultValue = "${env:" + EnvNames.RESPONSE_QUEUE_URL + "}", description = "$" + EnvNames.RESPONSE_QUEUE_URL)
    String responseQueueUrl;
    @Option(names = "--input-bucket", defaultValue = "${env:" + EnvNames.INPUT_BUCKET + "}", description = "$" + EnvNames.INPUT_BUCKET)
    String inputBucket;
    @Option(names = "--output-bucket", defaultValue = "${env:" + EnvNames.OUTPUT_BUCKET + "}", description = "$" + EnvNames.OUTPUT_BUCKET)
    String outputBucket;
    @Option(names = "--region", defaultValue = "${env:AWS_REGION}", description = "$AWS_REGION")
    String region;
    @Option(names = "--sqs-endpoint", defaultValue = "${env:AWS_ENDPOINT_URL_SQS}", description = "$AWS_ENDPOINT_URL_SQS or $AWS_ENDPOINT_URL")
    URI sqsEndpoint;
    @Option(names = "--s3-endpoint", defaultValue = "${env:AWS_ENDPOINT_URL_S3}", description = "$AWS_ENDPOINT_URL_S3 or $AWS_ENDPOINT_URL")
    URI s3Endpoint;
    @Option(names = "--s3-path-style", defaultValue = "${env:" + EnvNames.S3_PATH_STYLE + ":-false}", description = "$" + EnvNames.S3_PATH_STYLE)
    boolean s3PathStyle;
    @Option(names = "--bind", defaultValue = "${env:" + EnvNames.WEB_BIND + ":-0.0.0.0}", description = "$" + EnvNames.WEB_BIND + " (default ${DEFAULT-VALUE})")
    String bind;
    @Option(names = "--port", defaultValue = "${env:" + EnvNames.WEB_PORT + ":-8080}", description = "$" + EnvNames.WEB_PORT + " (default ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--reply", defaultValue = "${env:" + EnvNames.REPLY + ":-label}", description = "label, name-label or json; $" + EnvNames.REPLY + " (default ${DEFAULT-VALUE})")
    String reply;
    @Option(names = "--deadline", defaultValue = "${env:" + EnvNames.DEADLINE_SECONDS + ":-300}", description = "seconds; $" + EnvNames.DEADLINE_SECONDS + " (default ${DEFAULT-VALUE})")
    int deadlineSeconds;
    @Option(names = "--max-pending", defaultValue = "${env:" + EnvNames.MAX_PENDING + ":-5000}", description = "$" + EnvNames.MAX_PENDING + " (default ${DEFAULT-VALUE})")
    int maxPending;
    @Option(names = "--max-image-bytes", defaultValue = "${env:" + EnvNames.MAX_IMAGE_BYTES + ":-10485760}", description = "$" + EnvNames.MAX_IMAGE_BYTES + " (default ${DEFAULT-VALUE})")
    long maxImageBytes;
    @Option(names = "--max-buffered-bytes", defaultValue = "${env:" + EnvNames.MAX_BUFFERED_BYTES + ":-0}",
            description = "Upload bytes held in memory at once, across all uploads; beyond it uploads get 503 and Retry-After. "
                    + "0: a quarter of the heap, at least one largest upload; $" + EnvNames.MAX_BUFFERED_BYTES + " (default ${DEFAULT-VALUE})")
    long maxBufferedBytes;
    @Option(names = "--cache-entries", defaultValue = "${env:" + EnvNames.CACHE_ENTRIES + ":-10000}", description = "$" + EnvNames.CACHE_ENTRIES + " (default ${DEFAULT-VALUE})")
    int cacheEntries;
    @Option(names = "--reply-pollers", defaultValue = "${env:" + EnvNames.REPLY_POLLERS + ":-3}", description = "$" + EnvNames.REPLY_POLLERS + " (default ${DEFAULT-VALUE})")
    int replyPollers;
    @Option(names = "--reply-wait", defaultValue = "${env:" + EnvNames.REPLY_WAIT_SECONDS + ":-20}", description = "Long-poll seconds of the reply pollers; $" + EnvNames.REPLY_WAIT_SECONDS + " (default ${DEFAULT-VALUE})")
    int replyWaitSeconds;
    @Option(names = "--worker-jar", defaultValue = "${env:" + EnvNames.WORKER_JAR + "}", description = "Launch workers from this jar on demand; $" + EnvNames.WORKER_JAR + " (no autoscaler without it)")
    Path workerJar;
    @Option(names = "--workers-max", defaultValue = "${env:" + EnvNames.WORKERS_MAX + ":-20}", description = "$" + EnvNames.WORKERS_MAX + " (default ${DEFAULT-VALUE})")
    int workersMax;
    @Option(names = "--warm-pool", defaultValue = "${env:" + EnvNames.WARM_POOL + ":-0}", description = "$" + EnvNames.WARM_POOL + " (default ${DEFAULT-VALUE})")
    int warmPool;
    @Option(names = "--base-workers", defaultValue = "${env:" + EnvNames.BASE_WORKERS + ":-0}", description = "Private base capacity; $" + EnvNames.BASE_WORKERS + " (default ${DEFAULT-VALUE})")
    int baseWorkers;
    @Option(names = "--launch-template", defaultValue = "${env:" + EnvNames.LAUNCH_TEMPLATE_ID + "}",
            description = "Run workers as EC2 instances from this launch template id; $" + EnvNames.LAUNCH_TEMPLATE_ID)
    String launchTemplateId;
    @Option(names = "--stack", defaultValue = "${env:" + EnvNames.STACK + ":-hybrid}",
            description = "The hybrid:stack tag of the EC2 workers; $" + EnvNames.STACK + " (default ${DEFAULT-VALUE})")
    String stack;
    @Option(names = "--worker-log-dir", defaultValue = "${env:" + EnvNames.WORKER_LOG_DIR + "}", description = "$" + EnvNames.WORKER_LOG_DIR)
    Path workerLogDir;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new WebMain());
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cl.getErr().println("hybrid-web: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(commandLine.execute(args));
    }

    WebConfig config() {
        require(requestQueueUrl, "--request-queue-url or " + EnvNames.REQUEST_QUEUE_URL);
        require(responseQueueUrl, "--response-queue-url or " + EnvNames.RESPONSE_QUEUE_URL);
        require(inputBucket, "--input-bucket or " + EnvNames.INPUT_BUCKET);
        require(outputBucket, "--output-bucket or " + EnvNames.OUTPUT_BUCKET);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port);
        }
        if (replyWaitSeconds < 0 || replyWaitSeconds > 20) {
            throw new IllegalArgumentException("--reply-wait must be between 0 and 20 seconds, not " + replyWaitSeconds);
        }
        if (deadlineSeconds < 1 || maxPending < 1 || maxImageBytes < 1 || cacheEntries < 1 || replyPollers < 1) {
            throw new IllegalArgumentException("--deadline, --max-pending, --max-image-bytes, --cache-entries and --reply-pollers must be positive");
        }
        if (maxBufferedBytes < 0) {
            throw new IllegalArgumentException("--max-buffered-bytes cannot be negative (0 means a quarter of the heap), not " + maxBufferedBytes);
        }
        if (maxBufferedBytes > 0 && maxBufferedBytes < maxImageBytes + UploadHandler.FORM_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("--max-buffered-bytes " + maxBufferedBytes + " cannot hold one upload of the largest size ("
                    + (maxImageBytes + UploadHandler.FORM_OVERHEAD_BYTES) + " bytes: --max-image-bytes plus 1 MiB of form framing)");
        }
        if (launchTemplateId != null && !launchTemplateId.isBlank() && !launchTemplateId.trim().matches("lt-[0-9a-f]{8,17}")) {
            throw new IllegalArgumentException("--launch-template must be a launch template id like lt-0123456789abcdef0, not '"
                    + launchTemplateId + "'");
        }
        if (workerJar != null && !Files.isRegularFile(workerJar)) {
            throw new IllegalArgumentException("--worker-jar " + workerJar + " is not a file");
        }
        return new WebConfig(requestQueueUrl, responseQueueUrl, inputBucket, outputBucket, region, endpoint(sqsEndpoint, "SQS"),
                endpoint(s3Endpoint, "S3"), s3PathStyle, bind, port, ReplyFormat.parse(reply), Duration.ofSeconds(deadlineSeconds),
                maxPending, maxImageBytes, maxBufferedBytes, cacheEntries, replyPollers, replyWaitSeconds, workerJar, workersMax, warmPool, baseWorkers, workerLogDir,
                stack, launchTemplateId == null || launchTemplateId.isBlank() ? null : launchTemplateId.trim());
    }

    private static URI endpoint(URI specific, String service) {
        if (specific != null) {
            return specific;
        }
        String all = System.getenv("AWS_ENDPOINT_URL");
        return all == null || all.isBlank() ? null : URI.create(all.trim());
    }

    private static void require(String value, String where) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing setting: pass " + where);
        }
    }

    @Override
    public Integer call() throws Exception {
        RunningWebTier server = RunningWebTier.start(config());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "web-shutdown"));
        System.out.println("hybrid-web ready url=" + server.url());
        System.out.flush();
        server.awaitStop();
        return 0;
    }

    /** The running web tier; tests start it in-process, the jar through {@link WebMain}. */
    static final class RunningWebTier implements AutoCloseable {
        final WebConfig config;
        final Javalin app;
        final RequestBroker broker;
        final Metrics metrics;
        private final SqsClient sqs;
        private final S3Client s3;
        private final ReplyPoller poller;
        private final ExecutorService io;
        private final AutoScaler autoScaler;
        private final BaseCapacity base;
        private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

        private RunningWebTier(WebConfig config, Javalin app, RequestBroker broker, Metrics metrics, SqsClient sqs, S3Client s3,
                          ReplyPoller poller, ExecutorService io, AutoScaler autoScaler, BaseCapacity base) {
            this.config = config;
            this.app = app;
            this.broker = broker;
            this.metrics = metrics;
            this.sqs = sqs;
            this.s3 = s3;
            this.poller = poller;
            this.io = io;
            this.autoScaler = autoScaler;
            this.base = base;
        }

        static RunningWebTier start(WebConfig config) {
            var sqsBuilder = SqsClient.builder().httpClient(ApacheHttpClient.builder().maxConnections(200)
                    .socketTimeout(Duration.ofSeconds(30)).connectionMaxIdleTime(Duration.ofSeconds(5)).build());
            var s3Builder = S3Client.builder().forcePathStyle(config.s3PathStyle()).httpClient(ApacheHttpClient.builder()
                    .maxConnections(200).connectionMaxIdleTime(Duration.ofSeconds(5)).build());
            if (config.region() != null) {
                sqsBuilder.region(Region.of(config.region()));
                s3Builder.region(Region.of(config.region()));
            }
            if (config.sqsEndpoint() != null) {
                sqsBuilder.endpointOverride(config.sqsEndpoint());
            }
            if (config.s3Endpoint() != null) {
                // An S3-compatible store (the emulator, MinIO, Ceph): checksums only where S3 requires them, as the SDK advises for
                // third-party stores; the default CRC trailer is aws-chunked encoding that not all of them decode.
                s3Builder.endpointOverride(config.s3Endpoint()).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            }
            SqsClient sqs = sqsBuilder.build();
            S3Client s3 = s3Builder.build();
            Metrics metrics = new Metrics();
            // S3 cache lookups and SQS sends: short blocking calls, kept off Jetty's threads.
            ExecutorService io = Executors.newFixedThreadPool(32, daemon("web-io"));
            ResultCache cache = new ResultCache(s3, config.outputBucket(), config.cacheEntries());
            io.execute(cache::indexDurableCopies);
            RequestBroker broker = new RequestBroker(config, sqs, s3, cache, metrics, io);
            Health health = new Health(sqs, s3, config, broker::lastModelId, broker::lastEngine);
            ReplyPoller poller = new ReplyPoller(sqs, config.responseQueueUrl(), broker, config.replyPollers(), config.replyWaitSeconds()).start();

            SqsBacklogSource backlog = new SqsBacklogSource(sqs, config.requestQueueUrl());
            AutoScaler autoScaler = null;
            BaseCapacity base = null;
            ComputeProvider workers = null;
            Map<String, String> env = new WorkerEnvironment().requestQueueUrl(config.requestQueueUrl()).responseQueueUrl(config.responseQueueUrl())
                    .inputBucket(config.inputBucket()).outputBucket(config.outputBucket()).region(config.region())
                    .sqsEndpoint(config.sqsEndpoint()).s3Endpoint(config.s3Endpoint()).s3PathStyle(config.s3PathStyle()).toMap();
            if (config.workerJar() != null && (config.launchTemplateId() == null || config.baseWorkers() > 0)) {
                env = withWorkerMemoryBudget(env, config);
            }
            if (config.workerJar() != null && (config.launchTemplateId() == null || config.baseWorkers() > 0)) {
                WorkerClassArchive.ensure(config.workerJar(), env);
            }
            if (config.launchTemplateId() != null) {
                var ec2 = Ec2Client.builder().httpClient(ApacheHttpClient.builder().build());
                if (config.region() != null) {
                    ec2.region(Region.of(config.region()));
                }
                workers = new Ec2ComputeProvider(ec2.build(), new Ec2ProviderSettings(config.stack(), config.launchTemplateId(),
                        config.workersMax(), config.warmPool(), Duration.ofMinutes(5)));
            } else if (config.workerJar() != null) {
                workers = new LocalProcessProvider(withLogs(LocalProcessSettings.forWorkerJar(config.workerJar(), env, config.warmPool()), config));
            }
            if (workers != null) {
                var controller = new ScalingController(new ScalingPolicy(1, 0, config.workersMax(), config.baseWorkers()),
                        broker::pendingUploads, backlog, workers, AutoScaler.DEFAULT_COOLDOWN, System::currentTimeMillis);
                autoScaler = new AutoScaler(controller, workers, AutoScaler.DEFAULT_TICK).start();
            }
            // Base capacity runs on this machine, so it needs the worker jar whichever provider bursts.
            if (config.baseWorkers() > 0 && config.workerJar() != null) {
                base = new BaseCapacity(new LocalProcessProvider(withLogs(LocalProcessSettings.forWorkerJar(config.workerJar(), env, 0), config)),
                        config.baseWorkers(), Duration.ofSeconds(1)).start();
            }
            registerGauges(metrics, broker, backlog, autoScaler);
            AutoScaler scaler = autoScaler;
            HttpApi api = new HttpApi(config, health, metrics);
            BodyBudget budget = new BodyBudget(config.maxBufferedBytes() > 0 ? config.maxBufferedBytes()
                    : BodyBudget.defaultCapacity(UploadHandler.maxBodyBytes(config), Runtime.getRuntime().maxMemory()));
            log.info("upload memory budget {} MiB (--max-buffered-bytes)", budget.capacityBytes() >> 20);
            metrics.gauge("hybrid_upload_buffered_bytes", "Bytes of upload bodies reserved in memory now", budget::usedBytes);
            metrics.gauge("hybrid_upload_buffer_limit_bytes", "The upload memory budget (--max-buffered-bytes)", budget::capacityBytes);
            UploadHandler uploads = new UploadHandler(config, broker, metrics, scaler == null ? () -> { } : scaler::onArrival, budget);
            AtomicReference<ServerConnector> connector = new AtomicReference<>();
            Javalin app = Javalin.create(javalin -> {
                javalin.startup.showJavalinBanner = false;
                javalin.http.maxRequestSize = config.maxImageBytes() + UploadHandler.FORM_OVERHEAD_BYTES;
                javalin.http.asyncTimeout = 0;
                // Uploads are answered in front of Javalin's servlet (see UploadHandler); Javalin puts its
                // servlet context inside this wrapper and serves every other request.
                javalin.jetty.modifyServer(server -> server.setHandler(uploads));
                // A real client opens 100 connections at once and silently drops refused ones: a deep accept queue.
                javalin.jetty.addConnector((server, http) -> {
                    // Two selectors: uploads run on the selector that read them (UploadHandler), one per core.
                    ServerConnector c = new ServerConnector(server, -1, Math.max(2, Runtime.getRuntime().availableProcessors() / 2), new HttpConnectionFactory(http));
                    c.setHost(config.bind());
                    c.setPort(config.port());
                    c.setAcceptQueueSize(512);
                    // A body that stops arriving holds its share of the upload memory budget: after this long without a byte
                    // the upload is answered 408 and its reservation freed (Jetty's default, written out because it matters here).
                    c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                    connector.set(c);
                    return c;
                });
                api.register(javalin.routes);
            });
            app.start();
            return new RunningWebTier(config, app, broker, metrics, sqs, s3, poller, io, autoScaler, base);
        }

        private static LocalProcessSettings withLogs(LocalProcessSettings settings, WebConfig config) {
            return config.workerLogDir() == null ? settings : new LocalProcessSettings(settings.command(), settings.environment(),
                    settings.warmPoolSize(), settings.readyTimeout(), settings.stopGrace(), config.workerLogDir());
        }

        private static void registerGauges(Metrics metrics, RequestBroker broker, SqsBacklogSource backlog, AutoScaler autoScaler) {
            metrics.gauge("hybrid_pending_requests", "HTTP uploads accepted and not yet answered", broker::pendingUploads);
            metrics.gauge("hybrid_messages_in_flight", "Request messages sent and not yet answered", broker::messagesInFlight);
            metrics.gauge("hybrid_backlog_messages", "Visible messages on the request queue", () -> {
                try {
                    return backlog.read().visible();
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
            });
            if (autoScaler != null) {
                metrics.gauge("hybrid_workers_desired", "Workers the policy wants", () -> autoScaler.snapshot().desired());
                metrics.gauge("hybrid_workers_running", "Workers running", () -> autoScaler.snapshot().running());
                metrics.gauge("hybrid_workers_starting", "Workers starting", () -> autoScaler.snapshot().starting());
                metrics.gauge("hybrid_workers_warm", "Workers parked in the warm pool", () -> autoScaler.snapshot().warm());
            }
        }

        private static java.util.concurrent.ThreadFactory daemon(String name) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            return r -> {
                Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }

        int port() {
            return app.port();
        }

        URI url() {
            String host = "0.0.0.0".equals(config.bind()) ? "127.0.0.1" : config.bind();
            return URI.create("http://" + host + ":" + port());
        }

        void awaitStop() throws InterruptedException {
            stopped.await();
        }

        @Override
        public synchronized void close() {
            if (stopped.getCount() == 0) {
                return;
            }
            log.info("stopping: no new uploads, stopping workers");
            if (autoScaler != null) {
                autoScaler.close();
            }
            if (base != null) {
                base.close();
            }
            app.stop();
            poller.close();
            io.shutdownNow();
            sqs.close();
            s3.close();
            stopped.countDown();
        }
    }
}
