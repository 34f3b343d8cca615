package kiosk.telemetry.aggregate;

import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.engines.SamTemplate;
import kiosk.telemetry.engines.lambda.DeployedRoutes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's part of template.yaml, as the functions read it: the user pool's groups and attributes are the
 * ones the functions look for in the ID token, a user cannot widen their own reach, the dashboard API checks
 * that pool's ID tokens, and the page is served only through CloudFront, over HTTPS, with the security headers.
 */
@SuppressWarnings("unchecked")
class DashboardStackTemplateTest {

    private final SamTemplate template = SamTemplate.fromClasspath();
    private final TelemetryConfig.Auth auth = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build()
            .getConfigMapping(TelemetryConfig.class).auth();

    private Map<String, Object> props(String logicalId, String type) {
        Map<String, Object> r = template.resources().get(logicalId);
        assertNotNull(r, logicalId + " is in template.yaml");
        assertEquals(type, r.get("Type"), logicalId);
        return SamTemplate.properties(r);
    }

    @Test
    void thePoolsGroupsAndAttributes_areTheOnesTheFunctionsRead_andOnlyAnAdministratorSetsThem() {
        Set<String> groups = new TreeSet<>();
        template.resourcesOfType("AWS::Cognito::UserPoolGroup").values().forEach(g -> {
            Map<String, Object> p = SamTemplate.properties(g);
            assertEquals(Map.of("Ref", "DashboardUserPool"), p.get("UserPoolId"));
            groups.add((String) p.get("GroupName"));
        });
        assertEquals(new TreeSet<>(List.of(auth.operatorGroup(), auth.viewerGroup())), groups);

        Map<String, Object> pool = props("DashboardUserPool", "AWS::Cognito::UserPool");
        assertEquals(Boolean.TRUE, ((Map<String, Object>) pool.get("AdminCreateUserConfig")).get("AllowAdminCreateUserOnly"), "no self sign-up");
        Set<String> custom = new TreeSet<>();
        ((List<Map<String, Object>>) pool.get("Schema")).forEach(a -> custom.add("custom:" + a.get("Name")));
        assertEquals(new TreeSet<>(List.of(auth.storesClaim(), auth.groupsClaim())), custom);

        Map<String, Object> client = props("DashboardUserPoolClient", "AWS::Cognito::UserPoolClient");
        assertEquals(Boolean.FALSE, client.get("GenerateSecret"), "a public client: the page holds no secret");
        assertEquals(List.of("code"), client.get("AllowedOAuthFlows"), "authorization code (with PKCE) only, no implicit flow");
        assertEquals(List.of("ALLOW_REFRESH_TOKEN_AUTH"), client.get("ExplicitAuthFlows"), "passwords only through the hosted login");
        List<String> writable = (List<String>) client.get("WriteAttributes");
        assertFalse(writable.contains(auth.storesClaim()) || writable.contains(auth.groupsClaim()),
                "a user cannot change the stores or groups they are limited to: " + writable);
        List<String> readable = (List<String>) client.get("ReadAttributes");
        assertTrue(readable.containsAll(List.of(auth.storesClaim(), auth.groupsClaim())), "the ID token carries the limits: " + readable);
        String page = "https://${DashboardDistribution.DomainName}/";
        assertEquals(List.of(Map.of("Fn::Sub", page)), client.get("CallbackURLs"));
        assertEquals(List.of(Map.of("Fn::Sub", page)), client.get("LogoutURLs"));
    }

    @Test
    void theDashboardApi_acceptsOnlyThisPoolsTokensForThisClient_fromThePagesOriginOnly() {
        Map<String, Object> api = props(DeployedRoutes.DASHBOARD_API, "AWS::Serverless::HttpApi");
        Map<String, Object> a = (Map<String, Object>) api.get("Auth");
        assertEquals(DeployedRoutes.DASHBOARD_AUTHORIZER, a.get("DefaultAuthorizer"));
        Map<String, Object> jwt = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) a.get("Authorizers"))
                .get(DeployedRoutes.DASHBOARD_AUTHORIZER)).get("JwtConfiguration");
        assertEquals(Map.of("Fn::Sub", "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${DashboardUserPool}"), jwt.get("issuer"));
        assertEquals(List.of(Map.of("Ref", "DashboardUserPoolClient")), jwt.get("audience"));
        Map<String, Object> cors = (Map<String, Object>) api.get("CorsConfiguration");
        assertEquals(List.of(Map.of("Fn::Sub", "https://${DashboardDistribution.DomainName}")), cors.get("AllowOrigins"));

        // the machine API keeps SigV4 and knows nothing of the pool
        Map<String, Object> machine = props(DeployedRoutes.MACHINE_API, "AWS::Serverless::HttpApi");
        assertEquals(Map.of("EnableIamAuthorizer", true), machine.get("Auth"));
    }

    @Test
    void everyDashboardRoute_isAReadOrAnOperatorAction_theDashboardNeeds() {
        List<String> routes = new ArrayList<>();
        for (String fn : List.of("SessionFunction", "EventBatchFunction", "PerformanceFunction", "ErrorFunction", "AggregatorFunction")) {
            DeployedRoutes.of(fn).routes().stream().filter(DeployedRoutes.Route::onDashboardApi).forEach(r -> routes.add(r.routeKey()));
        }
        assertEquals(new TreeSet<>(List.of(
                "GET /api/me",
                "GET /api/insights/overview", "GET /api/insights/timeseries", "GET /api/insights/hourly",
                "GET /api/insights/experiments", "GET /api/insights/breakdown", "GET /api/insights/today",
                "GET /api/daily-summary", "POST /api/daily-summary/aggregate", "GET /api/daily-summary/runs/{runId}",
                "GET /api/errors/groups", "PATCH /api/errors/groups/{fingerprint}/resolve",
                "GET /api/devices", "GET /api/devices/{deviceId}", "POST /api/devices", "POST /api/devices/{deviceId}/token",
                "DELETE /api/devices/{deviceId}", "POST /api/devices/{deviceId}/restore")), new TreeSet<>(routes),
                "no kiosk route and no raw-record read on the dashboard API");
    }

    @Test
    void thePagesBucket_isPrivate_andReadOnlyByThisDistribution_overTls() {
        Map<String, Object> bucket = props("DashboardBucket", "AWS::S3::Bucket");
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                bucket.get("PublicAccessBlockConfiguration"));
        Map<String, Object> policy = props("DashboardBucketPolicy", "AWS::S3::BucketPolicy");
        List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
        List<Map<String, Object>> allows = statements.stream().filter(s -> "Allow".equals(s.get("Effect"))).toList();
        assertEquals(1, allows.size(), "one grant: CloudFront's");
        Map<String, Object> allow = allows.get(0);
        assertEquals(Map.of("Service", "cloudfront.amazonaws.com"), allow.get("Principal"));
        assertEquals("s3:GetObject", allow.get("Action"));
        assertEquals(Map.of("StringEquals", Map.of("AWS:SourceArn",
                Map.of("Fn::Sub", "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${DashboardDistribution}"))), allow.get("Condition"));
        assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect"))
                && Map.of("Bool", Map.of("aws:SecureTransport", "false")).equals(s.get("Condition"))), "requests without TLS are denied");
    }

    @Test
    void theDistribution_servesThePageOverHttpsOnly_throughOriginAccessControl_withTheSecurityHeaders() {
        Map<String, Object> config = (Map<String, Object>) props("DashboardDistribution", "AWS::CloudFront::Distribution").get("DistributionConfig");
        List<Map<String, Object>> origins = (List<Map<String, Object>>) config.get("Origins");
        assertEquals(1, origins.size());
        assertEquals(Map.of("Fn::GetAtt", "DashboardBucket.RegionalDomainName"), origins.get(0).get("DomainName"));
        assertEquals(Map.of("Fn::GetAtt", "DashboardOriginAccess.Id"), origins.get(0).get("OriginAccessControlId"));
        assertEquals(Map.of("OriginAccessIdentity", ""), origins.get(0).get("S3OriginConfig"), "no legacy origin access identity");
        Map<String, Object> behaviour = (Map<String, Object>) config.get("DefaultCacheBehavior");
        assertEquals("https-only", behaviour.get("ViewerProtocolPolicy"));
        assertEquals(List.of("GET", "HEAD"), behaviour.get("AllowedMethods"));
        assertEquals(Map.of("Ref", "DashboardSecurityHeaders"), behaviour.get("ResponseHeadersPolicyId"));
        assertEquals("index.html", config.get("DefaultRootObject"));
        Map<String, Object> oac = (Map<String, Object>) props("DashboardOriginAccess", "AWS::CloudFront::OriginAccessControl")
                .get("OriginAccessControlConfig");
        assertEquals("always", oac.get("SigningBehavior"));
        assertEquals("s3", oac.get("OriginAccessControlOriginType"));

        Map<String, Object> headers = (Map<String, Object>) ((Map<String, Object>) props("DashboardSecurityHeaders",
                "AWS::CloudFront::ResponseHeadersPolicy").get("ResponseHeadersPolicyConfig")).get("SecurityHeadersConfig");
        Map<String, Object> csp = (Map<String, Object>) headers.get("ContentSecurityPolicy");
        assertEquals(Boolean.TRUE, csp.get("Override"));
        String policy = (String) ((Map<String, Object>) csp.get("ContentSecurityPolicy")).get("Fn::Sub");
        List<String> directives = Arrays.stream(policy.split(";")).map(d -> d.strip().replaceAll("\\s+", " ")).toList();
        assertTrue(directives.containsAll(List.of("default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
                "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'")), "the local stack's policy: " + directives);
        assertEquals("connect-src 'self' https://*.execute-api.${AWS::Region}.${AWS::URLSuffix} "
                        + "https://${DashboardSignInDomain}.auth.${AWS::Region}.amazoncognito.com",
                directives.stream().filter(d -> d.startsWith("connect-src")).findFirst().orElseThrow(),
                "the page talks to this region's HTTP APIs and its sign-in domain, nothing else");
        assertFalse(policy.contains("unsafe"), policy);
        assertEquals(Map.of("FrameOption", "DENY", "Override", true), headers.get("FrameOptions"));
        assertEquals(Map.of("ReferrerPolicy", "no-referrer", "Override", true), headers.get("ReferrerPolicy"));
        assertEquals(Map.of("Override", true), headers.get("ContentTypeOptions"));
        assertNotNull(headers.get("StrictTransportSecurity"));
    }
}
