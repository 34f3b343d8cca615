package kiosk.telemetry.engines.iam;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses, as AWS would, the DynamoDB calls a function's IAM policy in {@code template.yaml} does not allow, while
 * that function's policy is enforced ({@link #enforce}). Registered on the DynamoDB client of the function under
 * test ({@code quarkus.dynamodb.interceptors}, see {@code AsDeployed}); outside an enforcement it checks nothing,
 * so fixtures may seed any table through the same client. The switch is global, not per thread: the calls of a
 * handler invocation run on the runtime's, Vert.x's and the function's own executor threads. A refused call throws
 * a {@code DynamoDbException} (400, {@code AccessDeniedException}) and is recorded; closing the enforcement fails
 * with every call recorded, so a refusal the function swallows (a best-effort write) still fails the test.
 */
public final class EnforcedPolicy implements ExecutionInterceptor {

    /** One call AWS would have refused. */
    public record Violation(String function, String refusal, String operation, String thread, String caller) {
        @Override
        public String toString() {
            return function + ": " + refusal + "; " + operation + " from " + caller + " on " + thread;
        }
    }

    private static final class Active {
        final FunctionPolicy policy;
        final AtomicInteger checked = new AtomicInteger();
        int depth;

        Active(FunctionPolicy policy) {
            this.policy = policy;
        }
    }

    private static final Object LOCK = new Object();
    private static final List<Violation> VIOLATIONS = new CopyOnWriteArrayList<>();
    private static volatile Active active;

    /**
     * Enforces the policy of {@code functionLogicalId} until the returned enforcement is closed. Enforcements of one
     * function nest (and may overlap across threads); one of another function while this one is open is a mistake.
     */
    public static Enforcement enforce(String functionLogicalId) {
        FunctionPolicy policy = FunctionPolicy.fromClasspath(functionLogicalId);
        synchronized (LOCK) {
            if (active == null) {
                active = new Active(policy);
            } else if (!active.policy.function().equals(functionLogicalId)) {
                throw new IllegalStateException("the policy of " + active.policy.function() + " is enforced; " + functionLogicalId
                        + " cannot be enforced at the same time");
            }
            active.depth++;
            return new Enforcement(active, active.checked.get());
        }
    }

    /** While open, the function's DynamoDB calls are checked against its policy. */
    public static final class Enforcement implements AutoCloseable {
        private final Active scope;
        private final int checkedBefore;
        private boolean closed;

        private Enforcement(Active scope, int checkedBefore) {
            this.scope = scope;
            this.checkedBefore = checkedBefore;
        }

        /** DynamoDB calls checked since this enforcement began (of any thread). */
        public int checkedCalls() {
            return scope.checked.get() - checkedBefore;
        }

        /** Ends the enforcement; fails with the calls AWS would have refused, if any were made. */
        @Override
        public void close() {
            synchronized (LOCK) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--scope.depth == 0 && active == scope) {
                    active = null;
                }
            }
            List<Violation> found = drain();
            if (!found.isEmpty()) {
                StringBuilder message = new StringBuilder("AWS would refuse these DynamoDB calls (AccessDeniedException): the function's"
                        + " policy in template.yaml does not allow them");
                found.forEach(v -> message.append("\n  - ").append(v));
                throw new AssertionError(message.toString());
            }
        }
    }

    /** Calls refused so far that no enforcement has reported yet; reporting them forgets them. */
    public static List<Violation> drain() {
        synchronized (VIOLATIONS) {
            List<Violation> out = new ArrayList<>(VIOLATIONS);
            VIOLATIONS.removeAll(out);
            return out;
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
        Active scope = active;
        if (scope == null || !(context.request() instanceof DynamoDbRequest request)) {
            return;
        }
        scope.checked.incrementAndGet();
        List<String> refusals = new ArrayList<>();
        List<DynamoAccess> accesses = DynamoAccess.of(request);
        for (DynamoAccess access : accesses) {
            scope.policy.refusal(access).ifPresent(refusals::add);
        }
        if (refusals.isEmpty()) {
            return;
        }
        String operation = accesses.get(0).operation();
        String caller = caller();
        for (String refusal : refusals) {
            VIOLATIONS.add(new Violation(scope.policy.function(), refusal, operation, Thread.currentThread().getName(), caller));
        }
        throw accessDenied(scope.policy.function(), refusals.get(0));
    }

    /** The exception the SDK throws for AWS's answer to a call no policy allows. */
    static DynamoDbException accessDenied(String function, String refusal) {
        String message = "User: arn:aws:sts::" + FunctionPolicy.ACCOUNT + ":assumed-role/" + function + "Role/" + function
                + " is not authorized to perform: " + refusal;
        return (DynamoDbException) DynamoDbException.builder()
                .message(message)
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException")
                        .errorMessage(message)
                        .serviceName("DynamoDb")
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(400).build())
                        .build())
                .build();
    }

    /** The first frame of the project's code outside the SDK and this check: who made the call. */
    private static String caller() {
        Optional<StackWalker.StackFrame> frame = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> f.getClassName().startsWith("kiosk.") && !f.getDeclaringClass().equals(EnforcedPolicy.class))
                .findFirst());
        return frame.map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber()).orElse("(no project frame)");
    }
}
