package kiosk.telemetry.core.auth;

import jakarta.enterprise.context.RequestScoped;
import kiosk.telemetry.core.error.ApiException;

/**
 * The checks a {@link StoreScoped} route makes for a caller limited to some stores or groups: the scope it asks
 * for must be one of them, and a device must belong to one of them. For an unlimited caller every check passes.
 */
@RequestScoped
public class StoreScope {

    private final Caller caller;
    private final DeviceDirectory directory;

    public StoreScope(Caller caller, DeviceDirectory directory) {
        this.caller = caller;
        this.directory = directory;
    }

    /**
     * A scope given by its query parameters (at most one of them is set, as the routes validate): a store or a group
     * in reach. The fleet (none set) and a country are refused to a limited caller.
     */
    public void require(String storeId, String groupId, String countryCode) {
        Access access = caller.access();
        if (!access.limited()) {
            return;
        }
        if (blank(storeId) && blank(groupId)) {
            throw ApiException.forbidden(blank(countryCode)
                    ? "fleet-wide figures are not available to a user limited to " + access.describeLimit() + ": give storeId or groupId"
                    : "country-wide figures are not available to a user limited to " + access.describeLimit() + ": give storeId or groupId");
        }
        if (!access.reaches(blank(storeId) ? null : storeId, blank(groupId) ? null : groupId)) {
            throw ApiException.forbidden((blank(storeId) ? "group " + groupId : "store " + storeId)
                    + " is not among this user's " + access.describeLimit());
        }
    }

    /** A device's records: its store or group (from the registry) must be in reach; an unknown device is 403 too. */
    public void requireDevice(String deviceId) {
        Access access = caller.access();
        if (!access.limited()) {
            return;
        }
        // a registry that does not answer throws (503): not the caller's mistake
        boolean reached = directory.find(deviceId).map(d -> access.reaches(d.storeId(), d.groupId())).orElse(false);
        if (!reached) {
            throw ApiException.forbidden("device " + deviceId + " is not in this user's " + access.describeLimit());
        }
    }

    /** The caller is limited to some stores or groups. */
    public boolean limited() {
        return caller.access().limited();
    }

    /** Whether a record of this store and group (a summary's, a device's) is in the caller's reach. */
    public boolean reaches(String storeId, String groupId) {
        return caller.access().reaches(storeId, groupId);
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
