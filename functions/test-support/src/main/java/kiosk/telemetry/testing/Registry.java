package kiosk.telemetry.testing;

import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.auth.DeviceTokens;
import kiosk.telemetry.core.dynamo.DevicesTable;

import java.time.Instant;

/**
 * Kiosks in the device registry, written straight into the Devices table as registration stores them (a token's
 * hash, the operator's store, group and country, no revocation, never seen), for tests that need a registered
 * kiosk without going through the registration route. Dimensions may be null, as the operator may leave them out.
 */
public final class Registry {

    private Registry() {
    }

    /** Registers the kiosk and returns its bearer token. */
    public static String register(DevicesTable devices, String deviceId, String storeId, String groupId, String countryCode,
                                  Instant registeredAt) {
        String token = DeviceTokens.issue(deviceId);
        store(devices, new Device(deviceId, storeId, groupId, countryCode, DeviceTokens.hash(token), registeredAt, null, null));
        return token;
    }

    /** Registers the kiosk and returns it as the registry holds it, as an authenticated request carries it. */
    public static Device registered(DevicesTable devices, String deviceId, String storeId, String groupId, String countryCode,
                                    Instant registeredAt) {
        Device device = device(deviceId, storeId, groupId, countryCode, registeredAt);
        store(devices, device);
        return device;
    }

    /** A registered kiosk as an authenticated request carries it, not stored: for a test that calls a service directly. */
    public static Device device(String deviceId, String storeId, String groupId, String countryCode, Instant registeredAt) {
        return new Device(deviceId, storeId, groupId, countryCode, DeviceTokens.hash(DeviceTokens.issue(deviceId)), registeredAt,
                null, null);
    }

    private static void store(DevicesTable devices, Device device) {
        if (!devices.create(device)) {
            throw new IllegalStateException("device " + device.deviceId() + " is registered already");
        }
    }
}
