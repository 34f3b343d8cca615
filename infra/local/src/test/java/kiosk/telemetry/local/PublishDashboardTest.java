package kiosk.telemetry.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code infra/dashboard/publish}, run as a user runs it after {@code sam deploy}, against a stand-in for the AWS CLI
 * that answers the stack's outputs and records every call: the page's files go to the stack's bucket, the
 * config.json the page reads names the stack's sign-in and API, and CloudFront is invalidated.
 */
class PublishDashboardTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent().getParent();
    private static final Path SCRIPT = ROOT.resolve("infra/dashboard/publish");

    private static final Map<String, String> OUTPUTS = Map.of(
            "DashboardBucketName", "kiosk-telemetry-dev-dashboardbucket-1a2b3c4d5e6f",
            "DashboardDistributionId", "E2EXAMPLE0ABCD",
            "DashboardUrl", "https://d111111abcdef8.cloudfront.net/",
            "DashboardApiUrl", "https://a1b2c3d4e5.execute-api.ap-northeast-2.amazonaws.com",
            "DashboardSignInUrl", "https://kiosk-telemetry-dev-1a2b3c4d.auth.ap-northeast-2.amazoncognito.com",
            "DashboardUserPoolClientId", "1example23456789abcdefghij");

    record Run(int exit, String output, List<String> calls, String config) {
    }

    /** A stand-in {@code aws}: prints the output the query names (from FAKE_<key>), keeps config.json's text. */
    private static Run publish(Path dir, Map<String, String> outputs, String... args) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path aws = bin.resolve("aws");
        Files.writeString(aws, """
                #!/usr/bin/env bash
                printf '%s\\n' "$*" >> "$FAKE_LOG"
                if [[ "$1 $2" == "cloudformation describe-stacks" ]]; then
                  if [[ -n "${FAKE_FAIL:-}" ]]; then echo "An error occurred (ValidationError): $FAKE_FAIL" >&2; exit 254; fi
                  env | grep '^FAKE_Dashboard' | sed -e 's/^FAKE_//' -e 's/=/\t/'
                fi
                if [[ "$1 $2" == "s3 cp" ]]; then cp "$3" "$FAKE_CONFIG"; fi
                exit 0
                """);
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = dir.resolve("calls.log");
        Path config = dir.resolve("config.json");
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(ROOT.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_LOG", log.toString());
        pb.environment().put("FAKE_CONFIG", config.toString());
        pb.environment().remove("AWS_REGION");
        pb.environment().remove("AWS_DEFAULT_REGION");
        outputs.forEach((k, v) -> pb.environment().put("FAKE_" + k, v));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, Files.exists(log) ? Files.readAllLines(log) : List.of(),
                Files.exists(config) ? Files.readString(config) : null);
    }

    private static Run publishFailing(Path dir, String stack) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("FAIL", "Stack with id " + stack + " does not exist");
        return publish(dir, env, stack);
    }

    @Test
    void publishesThePage_withTheStacksSignInAndApi_thenInvalidatesCloudFront(@TempDir Path dir) throws Exception {
        Run run = publish(dir, OUTPUTS, "kiosk-telemetry-dev", "ap-northeast-2");
        assertEquals(0, run.exit(), run.output());
        assertEquals("{\"signIn\":\"cognito\",\"apiBase\":\"https://a1b2c3d4e5.execute-api.ap-northeast-2.amazonaws.com\","
                + "\"cognito\":{\"domain\":\"https://kiosk-telemetry-dev-1a2b3c4d.auth.ap-northeast-2.amazoncognito.com\","
                + "\"clientId\":\"1example23456789abcdefghij\",\"redirectUri\":\"https://d111111abcdef8.cloudfront.net/\"}}\n", run.config());

        List<String> writes = run.calls().stream().filter(c -> !c.startsWith("cloudformation describe-stacks")).toList();
        String files = ROOT.resolve("dashboard/src/main/resources/META-INF/resources") + "/";
        assertEquals(List.of(
                "s3 sync " + files + " s3://kiosk-telemetry-dev-dashboardbucket-1a2b3c4d5e6f/ --delete "
                        + "--exclude config.json --cache-control no-cache --region ap-northeast-2",
                "s3 cp " + writes.get(1).split(" ")[2] + " s3://kiosk-telemetry-dev-dashboardbucket-1a2b3c4d5e6f/config.json "
                        + "--cache-control no-cache --content-type application/json --region ap-northeast-2",
                "cloudfront create-invalidation --distribution-id E2EXAMPLE0ABCD --paths /*"), writes);
        assertEquals("{\"signIn\": \"token\"}", Files.readString(ROOT.resolve("dashboard/src/main/resources/META-INF/resources/config.json")).strip(),
                "the files synced hold the local default config.json, which the sync leaves out and the upload replaces");
        assertEquals(List.of("cloudformation describe-stacks --stack-name kiosk-telemetry-dev --query "
                        + "Stacks[0].Outputs[].[OutputKey,OutputValue] --output text --region ap-northeast-2"),
                run.calls().stream().filter(c -> c.startsWith("cloudformation")).toList(), "one read of the outputs");
    }

    @Test
    void refusesAStackWithoutTheDashboard_orAnOutputThatIsNotWhatTheTemplateGives(@TempDir Path dir) throws Exception {
        Map<String, String> older = new HashMap<>(OUTPUTS);
        older.remove("DashboardApiUrl");
        Run missing = publish(dir.resolve("a"), older, "old-stack");
        assertEquals(1, missing.exit());
        assertTrue(missing.output().contains("stack old-stack has no output DashboardApiUrl"), missing.output());
        assertTrue(missing.calls().stream().noneMatch(c -> c.startsWith("s3")), "nothing uploaded");

        Map<String, String> odd = new HashMap<>(OUTPUTS);
        odd.put("DashboardUserPoolClientId", "abc\",\"apiBase\":\"https://evil.example");
        Run injected = publish(dir.resolve("b"), odd, "kiosk-telemetry-dev");
        assertEquals(1, injected.exit());
        assertTrue(injected.output().contains("output DashboardUserPoolClientId is not what the template gives"), injected.output());
        assertTrue(injected.calls().stream().noneMatch(c -> c.startsWith("s3")), "nothing uploaded");

        Run unreadable = publish(dir.resolve("d"), Map.of(), "nowhere");
        Run refused = publishFailing(dir.resolve("e"), "nowhere");
        assertEquals(1, refused.exit());
        assertTrue(refused.output().contains("Stack with id nowhere does not exist")
                && refused.output().contains("could not read the outputs of stack nowhere"), refused.output());
        assertEquals(1, unreadable.exit(), "a stack without any dashboard output: " + unreadable.output());

        Run usage = publish(dir.resolve("c"), OUTPUTS);
        assertEquals(2, usage.exit());
        assertTrue(usage.output().contains("usage: infra/dashboard/publish <stack name> [region]"));
    }
}
