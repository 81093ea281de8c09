package org.hopseal.core.authority;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * What an authority keeps in its identity vault's records (docs/credentials.md), all public data:
 * <pre>
 * authority/&lt;authority&gt;/route              = uint r | string address * r      -- where members reach it
 * authority/&lt;authority&gt;/ticket/&lt;hex id&gt;      = uint used                         -- uses of one ticket so far
 * authority/&lt;authority&gt;/member/&lt;member&gt;      = u8 1 | uint n | (string | string) * n | u64 enrolled_at
 * </pre>
 */
final class AuthorityRecords {
    /** The most members one authority keeps. */
    static final int MAX_MEMBERS = 100_000;

    private final SigningVault vault;
    private final String prefix;

    AuthorityRecords(SigningVault vault, Identifier authority) {
        this.vault = vault;
        this.prefix = "authority/" + authority + "/";
    }

    /** A member: its attributes, and when it enrolled. */
    record Member(SortedMap<String, String> attributes, Instant enrolledAt) {
    }

    void putRoute(Route route) throws HopsealException {
        BareWriter w = new BareWriter().writeUint(route.size());
        route.addresses().forEach(a -> w.writeString(a.toString()));
        vault.putRecord(prefix + "route", w.toByteArray());
    }

    Optional<Route> route() throws HopsealException {
        Optional<byte[]> stored = vault.record(prefix + "route");
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            BareReader r = new BareReader(stored.get());
            int n = (int) r.readUint(Route.MAX_LENGTH, "route length");
            List<Address> addresses = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                addresses.add(Address.of(r.readString()));
            }
            r.expectEnd("authority route");
            return Optional.of(Route.of(addresses));
        } catch (DecodeException | IllegalArgumentException e) {
            throw corrupt("route", e);
        }
    }

    int ticketUses(byte[] id) throws HopsealException {
        Optional<byte[]> stored = vault.record(ticketName(id));
        if (stored.isEmpty()) {
            return 0;
        }
        try {
            BareReader r = new BareReader(stored.get());
            int used = (int) r.readUint(Integer.MAX_VALUE, "ticket uses");
            r.expectEnd("ticket uses");
            return used;
        } catch (DecodeException e) {
            throw corrupt("ticket", e);
        }
    }

    void putTicketUses(byte[] id, int used) throws HopsealException {
        vault.putRecord(ticketName(id), new BareWriter().writeUint(used).toByteArray());
    }

    private String ticketName(byte[] id) {
        return prefix + "ticket/" + HexFormat.of().formatHex(id);
    }

    Optional<Member> member(Identifier member) throws HopsealException {
        Optional<byte[]> stored = vault.record(prefix + "member/" + member);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            BareReader r = new BareReader(stored.get());
            if (r.readU8() != 1) {
                throw new DecodeException("unknown member record version");
            }
            int n = (int) r.readUint(1024, "attributes");
            SortedMap<String, String> attributes = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                attributes.put(r.readString(), r.readString());
            }
            Instant enrolled = Instant.ofEpochSecond(r.readU64());
            r.expectEnd("member record");
            return Optional.of(new Member(attributes, enrolled));
        } catch (DecodeException e) {
            throw corrupt("member " + member, e);
        }
    }

    void putMember(Identifier member, Map<String, String> attributes, Instant enrolledAt) throws HopsealException {
        String name = prefix + "member/" + member;
        if (vault.record(name).isEmpty()
                && vault.recordNames().stream().filter(n -> n.startsWith(prefix + "member/")).count() >= MAX_MEMBERS) {
            throw new CredentialException(ErrorKind.UNAVAILABLE, "this authority has " + MAX_MEMBERS + " members already");
        }
        BareWriter w = new BareWriter().writeU8(1).writeUint(attributes.size());
        new TreeMap<>(attributes).forEach((k, v) -> w.writeString(k).writeString(v));
        vault.putRecord(name, w.writeU64(enrolledAt.getEpochSecond()).toByteArray());
    }

    private CredentialException corrupt(String what, Exception cause) {
        return new CredentialException(ErrorKind.INVALID, "the authority's " + what + " record is corrupt: " + cause.getMessage(), cause);
    }
}
