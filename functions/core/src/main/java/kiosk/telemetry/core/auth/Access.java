package kiosk.telemetry.core.auth;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a person or an automation calling the staff routes may do: its role, and the stores and groups it is limited
 * to. Empty {@code stores} and {@code groups} mean the whole fleet; otherwise only figures of those stores and
 * groups, never fleet-wide or country-wide ones.
 *
 * @param principal who it is: the IAM caller's ARN, the signed-in user's e-mail or name, or a local user's name
 */
public record Access(String principal, Role role, Set<String> stores, Set<String> groups) {

    /** {@code viewer}: the read (GET) routes; {@code operator}: also the routes that change state. */
    public enum Role { viewer, operator }

    public Access {
        stores = Set.copyOf(stores);
        groups = Set.copyOf(groups);
    }

    /** Everything, everywhere: IAM automation and the local admin token. */
    public static Access fleetOperator(String principal) {
        return new Access(principal, Role.operator, Set.of(), Set.of());
    }

    /** Limited to some stores or groups. */
    public boolean limited() {
        return !stores.isEmpty() || !groups.isEmpty();
    }

    public boolean mayChangeState() {
        return role == Role.operator;
    }

    /** Whether the figures of this store or this group (whichever is given) are in reach. */
    public boolean reaches(String storeId, String groupId) {
        return !limited() || (storeId != null && stores.contains(storeId)) || (groupId != null && groups.contains(groupId));
    }

    /** The limit in words, for a 403's detail. */
    public String describeLimit() {
        StringBuilder b = new StringBuilder();
        if (!stores.isEmpty()) {
            b.append("stores ").append(String.join(", ", sortedStores()));
        }
        if (!groups.isEmpty()) {
            b.append(b.isEmpty() ? "" : " and ").append("groups ").append(String.join(", ", sortedGroups()));
        }
        return b.toString();
    }

    public List<String> sortedStores() {
        return List.copyOf(new TreeSet<>(stores));
    }

    public List<String> sortedGroups() {
        return List.copyOf(new TreeSet<>(groups));
    }
}
