package kiosk.telemetry.aggregate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * AWS: the function invokes itself asynchronously (InvocationType=Event, so Lambda retries twice and sends a
 * final failure to the function's on-failure destination) with an API Gateway v2 event for
 * {@code POST /api/daily-summary/runs/{runId}/execute}. That route is not published on the HTTP API; only a
 * principal allowed to invoke the function can reach it, and the event carries an IAM principal as API
 * Gateway would. {@code LambdaRunLauncherTest} sends it to a stand-in of the Lambda API and delivers what arrived
 * to the real handler.
 */
public final class LambdaRunLauncher implements RunLauncher {

    private final LambdaClient lambda;
    private final String functionName;

    public LambdaRunLauncher(LambdaClient lambda, String functionName) {
        this.lambda = lambda;
        this.functionName = functionName;
    }

    @Override
    public void launch(String runId) {
        lambda.invoke(b -> b.functionName(functionName).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload(runId, functionName))));
    }

    /** The invocation's payload: an API Gateway v2 event for the execute route, with an IAM caller. */
    static String payload(String runId, String functionName) {
        String path = "/api/daily-summary/runs/" + runId + "/execute";
        String routeKey = "POST /api/daily-summary/runs/{runId}/execute";
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("version", "2.0").put("routeKey", routeKey).put("rawPath", path).put("rawQueryString", "");
        event.putObject("headers").put("content-type", "application/json");
        event.put("body", "{}").put("isBase64Encoded", false);
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("routeKey", routeKey);
        ctx.putObject("http").put("method", "POST").put("path", path);
        // the Lambda HTTP adapter makes an IAM principal only when userId is present
        ctx.putObject("authorizer").putObject("iam")
                .put("userId", "self-invocation:" + functionName).put("userArn", "self-invocation:" + functionName);
        return event.toString();
    }
}
