package org.hopseal.core.authority;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;
import org.hopseal.core.identity.CoreEntity;

/**
 * The credentials a member got by enrolling, as records of its identity vault (docs/credentials.md):
 * {@code enrolled/<member>/<authority> = u8 1 | data credential | uint r | string address * r} (the route to the
 * authority's listener, where it is renewed).
 */
final class MemberRecords {
    /** A stored credential and where its authority is reached. */
    record Enrolled(Credential credential, Route route) {
    }

    private final SigningVault vault;
    private final String prefix;

    MemberRecords(CoreEntity member) {
        this.vault = member.vaults().identity();
        this.prefix = "enrolled/" + member.identifier() + "/";
    }

    void put(Credential credential, Route route) throws HopsealException {
        BareWriter w = new BareWriter(1024).writeU8(1).writeData(credential.encoded()).writeUint(route.size());
        route.addresses().forEach(a -> w.writeString(a.toString()));
        vault.putRecord(prefix + credential.authority(), w.toByteArray());
    }

    List<Enrolled> all() throws HopsealException {
        List<Enrolled> out = new ArrayList<>();
        for (String name : vault.recordNames()) {
            if (name.startsWith(prefix)) {
                get(name).ifPresent(out::add);
            }
        }
        return out;
    }

    private Optional<Enrolled> get(String name) throws HopsealException {
        Optional<byte[]> stored = vault.record(name);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            BareReader r = new BareReader(stored.get());
            if (r.readU8() != 1) {
                throw new DecodeException("unknown version");
            }
            Credential credential = Credential.decode(r.readData());
            int n = (int) r.readUint(Route.MAX_LENGTH, "route length");
            List<Address> addresses = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                addresses.add(Address.of(r.readString()));
            }
            r.expectEnd("enrolled credential");
            return Optional.of(new Enrolled(credential, Route.of(addresses)));
        } catch (DecodeException | IllegalArgumentException e) {
            throw new CredentialException(ErrorKind.INVALID, "the stored credential " + name + " is corrupt: " + e.getMessage(), e);
        }
    }
}
