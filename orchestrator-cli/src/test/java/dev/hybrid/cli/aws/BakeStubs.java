package dev.hybrid.cli.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.hybrid.cli.aws.QueryApi.ec2Ok;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** A WireMock EC2 (and S3 bucket) that an image bake goes through, in the shapes the real SDK parses. */
final class BakeStubs {
    static final String ACCOUNT = "123456789012";
    static final String BASE_OLD = "ami-0base000000000old";
    static final String BASE_NEW = "ami-0base000000000new";
    static final String BAKED = "ami-0baked00000000001";
    static final String BUILDER = "i-0builder000000001";
    static final int PRIORITY_SPECIFIC = 3;
    static final int PRIORITY_STEADY = 8;

    private final WireMockServer server;

    BakeStubs(WireMockServer server) {
        this.server = server;
    }

    void stub(String action, Map<String, String> parameters, int priority, ResponseDefinitionBuilder response) {
        MappingBuilder mapping = QueryApi.action(action).atPriority(priority);
        parameters.forEach((name, value) -> mapping.withFormParam(name, equalTo(value)));
        server.stubFor(mapping.willReturn(response));
    }

    /** Answers one response after another, the last one for ever. */
    void sequence(String scenario, String action, Map<String, String> parameters, ResponseDefinitionBuilder... responses) {
        for (int i = 0; i < responses.length; i++) {
            ScenarioMappingBuilder mapping = QueryApi.action(action).atPriority(1).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "step" + i);
            parameters.forEach((name, value) -> mapping.withFormParam(name, equalTo(value)));
            if (i < responses.length - 1) {
                mapping.willSetStateTo("step" + (i + 1));
            }
            server.stubFor(mapping.willReturn(responses[i]));
        }
    }

    /** Everything a bake meets when it goes well; a test stubs over what it wants otherwise. */
    void steadyState(String bucket) {
        stub("DescribeImages", Map.of("Owner.1", "amazon"), PRIORITY_SPECIFIC, ec2Ok("DescribeImages", "<imagesSet>"
                + image(BASE_OLD, "al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64", "available", "2025-01-01T00:00:00.000Z", "", "")
                + image(BASE_NEW, "al2023-ami-2023.9.20261101.0-kernel-6.1-x86_64", "available", "2026-11-01T00:00:00.000Z", "", "")
                + "</imagesSet>"));
        // This account's images, by name or by tag: none until a scenario says otherwise.
        stub("DescribeImages", Map.of("Owner.1", "self"), PRIORITY_STEADY, ec2Ok("DescribeImages", "<imagesSet/>"));
        stub("DescribeInstances", Map.of(), PRIORITY_STEADY, ec2Ok("DescribeInstances", "<reservationSet/>"));
        stub("RunInstances", Map.of(), PRIORITY_STEADY, ec2Ok("RunInstances", "<reservationId>r-1</reservationId><ownerId>" + ACCOUNT
                + "</ownerId><groupSet/>" + instancesSet(BUILDER, "pending")));
        stub("DescribeInstances", Map.of("InstanceId.1", BUILDER), PRIORITY_SPECIFIC, ec2Ok("DescribeInstances", reservation(BUILDER, "stopped")));
        stub("GetConsoleOutput", Map.of(), PRIORITY_STEADY, console("cloud-init: running modules\nhybrid-bake: OK\nreboot: Power down\n"));
        stub("CreateImage", Map.of(), PRIORITY_STEADY, ec2Ok("CreateImage", "<imageId>" + BAKED + "</imageId>"));
        stub("DescribeImages", Map.of("ImageId.1", BAKED), PRIORITY_SPECIFIC, ec2Ok("DescribeImages", "<imagesSet>"
                + image(BAKED, "hybrid-app-x", "available", "2026-11-23T00:00:00.000Z", "snap-0baked", ec2Tags("app-image")) + "</imagesSet>"));
        stub("TerminateInstances", Map.of(), PRIORITY_STEADY, ec2Ok("TerminateInstances", "<instancesSet><item><instanceId>" + BUILDER
                + "</instanceId><currentState><code>32</code><name>shutting-down</name></currentState><previousState><code>80</code>"
                + "<name>stopped</name></previousState></item></instancesSet>"));
        stub("DeregisterImage", Map.of(), PRIORITY_STEADY, ec2Ok("DeregisterImage", "<return>true</return>"));
        stub("DeleteSnapshot", Map.of(), PRIORITY_STEADY, ec2Ok("DeleteSnapshot", "<return>true</return>"));
        server.stubFor(head(urlPathMatching("/" + bucket + "/.*")).atPriority(PRIORITY_STEADY).willReturn(aResponse().withStatus(404)));
        server.stubFor(put(urlPathMatching("/" + bucket + "/.*")).atPriority(PRIORITY_STEADY)
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"etag-1\"")));
    }

    static String image(String id, String name, String state, String created, String snapshot, String tags) {
        return "<item><imageId>" + id + "</imageId><imageLocation>" + ACCOUNT + "/" + name + "</imageLocation><imageState>" + state
                + "</imageState><imageOwnerId>" + ACCOUNT + "</imageOwnerId><creationDate>" + created + "</creationDate>"
                + "<architecture>x86_64</architecture><imageType>machine</imageType><name>" + name + "</name>"
                + "<rootDeviceType>ebs</rootDeviceType><blockDeviceMapping>" + (snapshot.isEmpty() ? "" : "<item><deviceName>/dev/xvda</deviceName>"
                + "<ebs><snapshotId>" + snapshot + "</snapshotId><volumeSize>8</volumeSize></ebs></item>") + "</blockDeviceMapping>" + tags + "</item>";
    }

    static String ec2Tags(String role) {
        return "<tagSet><item><key>hybrid:deployment</key><value>d1</value></item><item><key>hybrid:role</key><value>" + role
                + "</value></item><item><key>hybrid:stack</key><value>s1</value></item></tagSet>";
    }

    static String instancesSet(String id, String state) {
        return "<instancesSet><item><instanceId>" + id + "</instanceId><imageId>" + BASE_NEW + "</imageId><instanceState><code>0</code><name>"
                + state + "</name></instanceState>" + ec2Tags(AppImage.BUILDER_ROLE) + "</item></instancesSet>";
    }

    static String reservation(String id, String state) {
        return "<reservationSet><item><reservationId>r-1</reservationId><ownerId>" + ACCOUNT + "</ownerId><groupSet/>"
                + instancesSet(id, state) + "</item></reservationSet>";
    }

    static ResponseDefinitionBuilder console(String text) {
        return ec2Ok("GetConsoleOutput", "<instanceId>" + BUILDER + "</instanceId><timestamp>2026-11-23T00:00:00.000Z</timestamp><output>"
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "</output>");
    }
}
