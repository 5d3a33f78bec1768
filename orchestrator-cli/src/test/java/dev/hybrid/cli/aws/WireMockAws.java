package dev.hybrid.cli.aws;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/** One WireMock on loopback that EC2, IAM and S3 clients of the real SDK all talk to, every call seen by {@code calls}. */
final class WireMockAws implements AutoCloseable {
    final WireMockServer server;
    final QueryApi api;
    final Ec2Client ec2;
    final IamClient iam;
    final S3Client s3;

    WireMockAws(CallRecorder calls) {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        api = new QueryApi(server);
        URI endpoint = URI.create("http://127.0.0.1:" + server.port());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret"));
        var overrides = ClientOverrideConfiguration.builder().addExecutionInterceptor(calls).build();
        ec2 = Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint).credentialsProvider(credentials)
                .overrideConfiguration(overrides).build();
        iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(endpoint).credentialsProvider(credentials)
                .overrideConfiguration(overrides).build();
        s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint).forcePathStyle(true).credentialsProvider(credentials)
                .overrideConfiguration(overrides).build();
    }

    @Override
    public void close() {
        ec2.close();
        iam.close();
        s3.close();
        server.stop();
    }
}
