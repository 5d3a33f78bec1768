package dev.hybrid.cli.aws;

import dev.hybrid.localaws.LocalAws;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.Lazy;

/** The SDK clients for one {@link AwsTarget}; the account id is asked for once, lazily. */
public final class AwsClients implements AutoCloseable {
    private final AwsTarget target;
    private final SqsClient sqs;
    private final S3Client s3;
    private final Lazy<String> accountId;
    private final AtomicReference<StsClient> sts = new AtomicReference<>();
    /** IAM and EC2 exist only on real AWS; their clients are built on first use, never in local mode. */
    private final Lazy<IamClient> iam;
    private final Lazy<Ec2Client> ec2;

    public AwsClients(AwsTarget target) {
        this(target, List.of());
    }

    /** Interceptors see every call, e.g. to count mutating ones. */
    public AwsClients(AwsTarget target, List<ExecutionInterceptor> interceptors) {
        this.target = target;
        AwsCredentialsProvider credentials = credentials(target);
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder().executionInterceptors(interceptors).build();
        var sqsBuilder = SqsClient.builder().region(target.region()).credentialsProvider(credentials)
                .httpClient(httpClient()).overrideConfiguration(overrides);
        if (target.sqsEndpoint() != null) {
            sqsBuilder.endpointOverride(target.sqsEndpoint());
        }
        var s3Builder = S3Client.builder().region(target.region()).credentialsProvider(credentials)
                .forcePathStyle(target.pathStyle()).httpClient(httpClient()).overrideConfiguration(overrides);
        if (target.s3Endpoint() != null) {
            s3Builder.endpointOverride(target.s3Endpoint());
        }
        this.sqs = sqsBuilder.build();
        this.s3 = s3Builder.build();
        this.accountId = new Lazy<>(() -> target.local() ? LocalAws.ACCOUNT_ID : askSts(credentials, overrides));
        this.iam = new Lazy<>(() -> IamClient.builder().region(iamRegion(target.region())).credentialsProvider(credentials)
                .httpClient(httpClient()).overrideConfiguration(overrides).build());
        this.ec2 = new Lazy<>(() -> Ec2Client.builder().region(target.region()).credentialsProvider(credentials)
                .httpClient(httpClient()).overrideConfiguration(overrides).build());
    }

    /** Called under the {@link Lazy}'s lock; again only if an earlier call failed, reusing the client. */
    private String askSts(AwsCredentialsProvider credentials, ClientOverrideConfiguration overrides) {
        StsClient client = sts.updateAndGet(existing -> existing != null ? existing : StsClient.builder().region(target.region())
                .credentialsProvider(credentials).httpClient(httpClient()).overrideConfiguration(overrides).build());
        return client.getCallerIdentity().account();
    }

    /**
     * Apache rather than URLConnection: the latter surfaces a connection that the server closed while
     * idle as an unretried UncheckedIOException on the next PUT; Apache evicts idle connections first.
     */
    private static SdkHttpClient httpClient() {
        return ApacheHttpClient.builder().connectionMaxIdleTime(Duration.ofSeconds(5)).build();
    }

    /**
     * The emulators accept only their own fixed, public keys, so local mode uses them whatever the environment holds:
     * an operator's real AWS_ACCESS_KEY_ID would be refused (a 403 that looks like someone else's bucket).
     */
    static AwsCredentialsProvider credentials(AwsTarget target) {
        if (target.local()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
        }
        return target.profile() == null ? DefaultCredentialsProvider.builder().build() : ProfileCredentialsProvider.create(target.profile());
    }

    public AwsTarget target() {
        return target;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public S3Client s3() {
        return s3;
    }

    /** IAM is global within a partition; its client names the partition's global region. */
    static Region iamRegion(Region region) {
        if (region.id().startsWith("cn-")) {
            return Region.AWS_CN_GLOBAL;
        }
        return region.id().startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL;
    }

    public IamClient iam() {
        requireReal("IAM");
        return iam.getValue();
    }

    public Ec2Client ec2() {
        requireReal("EC2");
        return ec2.getValue();
    }

    private void requireReal(String service) {
        if (target.local()) {
            throw new IllegalStateException(service + " has no local emulator; it is only used with a real AWS target");
        }
    }

    public String accountId() {
        return accountId.getValue();
    }

    @Override
    public void close() {
        sqs.close();
        s3.close();
        if (iam.hasValue()) {
            iam.getValue().close();
        }
        if (ec2.hasValue()) {
            ec2.getValue().close();
        }
        StsClient client = sts.get();
        if (client != null) {
            client.close();
        }
    }
}
