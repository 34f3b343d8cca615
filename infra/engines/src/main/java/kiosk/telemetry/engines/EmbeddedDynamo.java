package kiosk.telemetry.engines;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * DynamoDB Local running inside this JVM (no Docker): in memory, or persisted under a directory so a
 * restart keeps the data. Its threads are not daemons: a process that embeds it must exit explicitly.
 */
public final class EmbeddedDynamo implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local";

    private final DynamoDBProxyServer server;
    private final int port;

    private EmbeddedDynamo(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts on {@code port} (0 picks a free one); {@code dataDir} null keeps everything in memory. */
    public static EmbeddedDynamo start(int port, Path dataDir) {
        int p = port == 0 ? FreePort.find() : port;
        try {
            String[] args;
            if (dataDir == null) {
                args = new String[]{"-inMemory", "-disableTelemetry", "-port", Integer.toString(p)};
            } else {
                Files.createDirectories(dataDir);
                args = new String[]{"-dbPath", dataDir.toString(), "-sharedDb", "-disableTelemetry", "-port", Integer.toString(p)};
            }
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
            server.start();
            return new EmbeddedDynamo(server, p);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + p, e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public DynamoDbClient client() {
        return clientBuilder().build();
    }

    /** A client builder pointed at this engine, for a client with settings of its own. */
    public DynamoDbClientBuilder clientBuilder() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create());
    }

    /** Creates every table of the template that does not exist yet, with TTL where the template enables it. */
    public static void createTables(DynamoDbClient client, List<TableDefinitions.Table> tables) {
        for (TableDefinitions.Table t : tables) {
            try {
                client.createTable(t.request());
            } catch (ResourceInUseException exists) {
                continue;
            }
            if (t.ttlAttribute() != null) {
                client.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(t.defaultName())
                        .timeToLiveSpecification(TimeToLiveSpecification.builder()
                                .attributeName(t.ttlAttribute()).enabled(true).build())
                        .build());
            }
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }
}
