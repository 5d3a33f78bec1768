package dev.hybrid.cli.local;

import dev.hybrid.contract.EnvNames;

import dev.hybrid.localaws.LocalAws;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ElasticMQ and S3Proxy in a process of their own, so that a detached local stack outlives the
 * command that started it. Prints one ready line with both endpoints, then serves until SIGTERM.
 */
@Command(name = "hybrid-emulators", mixinStandardHelpOptions = true,
        description = "SQS (ElasticMQ) and S3 (S3Proxy) on 127.0.0.1 for the local stack.")
public final class EmulatorMain implements java.util.concurrent.Callable<Integer> {
    static final String READY_PREFIX = "hybrid-emulators ready";

    @Option(names = "--data", required = true, description = "Directory that holds the S3 objects.")
    Path data;

    @Option(names = "--sqs-port", defaultValue = "0", description = "SQS port; 0 picks a free one.")
    int sqsPort;

    @Option(names = "--s3-port", defaultValue = "0", description = "S3 port; 0 picks a free one.")
    int s3Port;

    @Option(names = "--bind", defaultValue = "${env:" + EnvNames.EMULATOR_BIND + ":-127.0.0.1}",
            description = "Local address to listen on, e.g. a bridge that VMs on this machine reach; $" + EnvNames.EMULATOR_BIND + " (default ${DEFAULT-VALUE}).")
    String bind;

    @Override
    public Integer call() throws InterruptedException {
        LocalAws aws = LocalAws.startOnDisk(data, bind, sqsPort, s3Port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            aws.close();
            stopped.countDown();
        }, "emulators-shutdown"));
        System.out.println(READY_PREFIX + " sqs=" + aws.sqsEndpoint() + " s3=" + aws.s3Endpoint());
        System.out.flush();
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EmulatorMain()).execute(args));
    }
}
