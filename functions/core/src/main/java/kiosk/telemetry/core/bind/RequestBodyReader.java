package kiosk.telemetry.core.bind;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * The one reader of request bodies: at most {@code max-body-bytes} (413), well-formed UTF-8, one JSON object
 * without duplicate keys (400, {@link Json#parseObject}); then bound to the record a route declares as
 * {@code Bound<Record>}, or given as the parsed object to a route that takes {@link ObjectNode} (batches, whose
 * items are bound one by one).
 */
@Provider
public class RequestBodyReader implements MessageBodyReader<Object> {

    private final Binder binder;
    private final int maxBodyBytes;

    public RequestBodyReader(Binder binder, TelemetryConfig config) {
        this.binder = binder;
        this.maxBodyBytes = config.limits().maxBodyBytes();
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == Bound.class || type == ObjectNode.class;
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream entity) throws IOException {
        ObjectNode body = Json.parseObject(entity.readNBytes(maxBodyBytes + 1), maxBodyBytes);
        if (!Bound.class.equals(type)) {
            return body;
        }
        Type target = ((ParameterizedType) genericType).getActualTypeArguments()[0];
        return binder.bind(body, (Class<?>) target);
    }
}
