package dev.hybrid.cli.aws;

import dev.hybrid.localaws.MotoServer;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients that talk to one moto server, with its test keys unless told otherwise. */
final class MotoClients implements AutoCloseable {
    final SqsClient sqs;
    final S3Client s3;
    final Ec2Client ec2;
    final IamClient iam;

    MotoClients(URI endpoint, ExecutionInterceptor... interceptors) {
        this(endpoint, StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)),
                interceptors);
    }

    MotoClients(URI endpoint, AwsCredentialsProvider credentials, ExecutionInterceptor... interceptors) {
        Region region = Region.of(MotoServer.REGION);
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder().executionInterceptors(List.of(interceptors)).build();
        sqs = SqsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).overrideConfiguration(overrides).build();
        s3 = S3Client.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).forcePathStyle(true)
                .overrideConfiguration(overrides).build();
        ec2 = Ec2Client.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).overrideConfiguration(overrides).build();
        iam = IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL).credentialsProvider(credentials)
                .overrideConfiguration(overrides).build();
    }

    @Override
    public void close() {
        sqs.close();
        s3.close();
        ec2.close();
        iam.close();
    }
}
