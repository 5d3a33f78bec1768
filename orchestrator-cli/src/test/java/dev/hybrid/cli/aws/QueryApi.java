package dev.hybrid.cli.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IAM and EC2 speak the AWS query protocol: form-encoded POSTs named by their {@code Action},
 * answered in XML. These helpers stub answers in the shape the real SDK parses, and read back
 * the requests as decoded form parameters.
 */
final class QueryApi {
    static final String IAM = "https://iam.amazonaws.com/doc/2010-05-08/";
    static final String EC2 = "http://ec2.amazonaws.com/doc/2016-11-15/";
    /** Scenario stubs are tried before the steady-state ones, which answer whenever no scenario matches. */
    static final int FIRST = 1;
    static final int STEADY = 10;

    private final WireMockServer server;

    QueryApi(WireMockServer server) {
        this.server = server;
    }

    static MappingBuilder action(String action) {
        return post(anyUrl()).withFormParam("Action", equalTo(action));
    }

    static ResponseDefinitionBuilder iamOk(String action, String result) {
        return xml(200, "<" + action + "Response xmlns=\"" + IAM + "\"><" + action + "Result>" + result + "</" + action + "Result>"
                + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></" + action + "Response>");
    }

    static ResponseDefinitionBuilder iamError(int status, String code, String message) {
        return xml(status, "<ErrorResponse xmlns=\"" + IAM + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                + message + "</Message></Error><RequestId>req-1</RequestId></ErrorResponse>");
    }

    static ResponseDefinitionBuilder ec2Ok(String action, String body) {
        return xml(200, "<" + action + "Response xmlns=\"" + EC2 + "\"><requestId>req-1</requestId>" + body + "</" + action + "Response>");
    }

    static ResponseDefinitionBuilder ec2Error(String code, String message) {
        return xml(400, "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message + "</Message></Error></Errors>"
                + "<RequestID>req-1</RequestID></Response>");
    }

    private static ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body);
    }

    void steady(String action, ResponseDefinitionBuilder response) {
        server.stubFor(action(action).atPriority(STEADY).willReturn(response));
    }

    /** Answers {@code response} while {@code scenario} is in {@code state}, then moves it to {@code next}. */
    void inState(String scenario, String state, String next, String action, ResponseDefinitionBuilder response) {
        ScenarioMappingBuilder stub = action(action).atPriority(FIRST).inScenario(scenario).whenScenarioStateIs(state);
        server.stubFor((next == null ? stub : stub.willSetStateTo(next)).willReturn(response));
    }

    /** Every request of one action, oldest first, as decoded form parameters. */
    List<Map<String, String>> requests(String action) {
        return server.findAll(postRequestedFor(anyUrl()).withFormParam("Action", equalTo(action))).stream()
                .map(request -> form(request.getBodyAsString())).toList();
    }

    Map<String, String> only(String action) {
        List<Map<String, String>> all = requests(action);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + action + ", got " + all.size());
        }
        return all.get(0);
    }

    /** Every action called, in order. */
    List<String> actions() {
        List<String> newestFirst = server.getAllServeEvents().stream().map(event -> form(event.getRequest().getBodyAsString()).get("Action"))
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }

    static Map<String, String> form(String body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    static String urlEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
