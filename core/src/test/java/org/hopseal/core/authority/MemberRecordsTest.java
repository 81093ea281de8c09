package org.hopseal.core.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.BareWriter;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.node.Node;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member's enrolled credentials as records of its vault (docs/credentials.md, "On the member's side"): one record per
 * authority under {@code enrolled/<member>/<authority>}, in the documented bytes, read back as written; a corrupt one
 * is a clear {@link CredentialException}.
 */
class MemberRecordsTest {
    private static final Route ROUTE = Route.of(Address.tcp("10.0.0.1:4000"), Address.local("secure"));

    private Node node;
    private final List<Vaults> opened = new ArrayList<>();
    private CoreEntity member;
    private CoreEntity authority;
    private SigningVault vault;
    private MemberRecords records;

    @BeforeEach
    void start() throws Exception {
        node = Node.start();
        member = entity();
        authority = entity();
        vault = member.vaults().identity();
        records = new MemberRecords(member);
    }

    @AfterEach
    void stop() {
        node.stop();
        opened.forEach(Vaults::close);
    }

    private CoreEntity entity() throws HopsealException {
        Vaults v = SoftwareVault.vaults();
        opened.add(v);
        return CoreEntity.create(node.context(), v, KeyType.ED25519, InstantSource.system());
    }

    private Credential credential(CoreEntity by) throws HopsealException {
        return by.issueCredential(member.identifier(), Map.of("role", "web"), Duration.ofHours(1));
    }

    private String name(CoreEntity by) {
        return "enrolled/" + member.identifier() + "/" + by.identifier();
    }

    private AbstractThrowableAssert<?, ? extends Throwable> corrupt(String message, ThrowingCallable call) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessage("the stored credential " + name(authority) + " is corrupt: " + message);
    }

    @Test
    void aCredentialIsStoredWithItsAuthoritysRouteAndReadBack() throws Exception {
        Credential credential = credential(authority);
        assertThat(records.all()).isEmpty();

        records.put(credential, ROUTE);

        assertThat(vault.record(name(authority))).get().isEqualTo(new BareWriter().writeU8(1).writeData(credential.encoded())
                .writeUint(2).writeString("1#10.0.0.1:4000").writeString("secure").toByteArray());
        assertThat(records.all()).singleElement().satisfies(e -> {
            assertThat(e.credential()).isEqualTo(credential);
            assertThat(e.route()).isEqualTo(ROUTE);
        });
    }

    @Test
    void oneRecordPerAuthorityWhichANewCredentialReplaces() throws Exception {
        CoreEntity second = entity();
        Credential fromSecond = credential(second);
        records.put(credential(authority), ROUTE);
        records.put(fromSecond, Route.of("elsewhere"));
        Credential renewed = authority.issueCredential(member.identifier(), Map.of("role", "db"), Duration.ofHours(2));

        records.put(renewed, Route.of("moved"));

        assertThat(records.all()).extracting(MemberRecords.Enrolled::credential).containsExactlyInAnyOrder(renewed, fromSecond);
        assertThat(records.all()).extracting(MemberRecords.Enrolled::route).containsExactlyInAnyOrder(Route.of("moved"), Route.of("elsewhere"));
    }

    @Test
    void recordsOfAnotherMemberOrKindAreNotTheMembers() throws Exception {
        vault.putRecord("enrolled/" + authority.identifier() + "/" + member.identifier(), new byte[] {9});
        vault.putRecord("authority/" + member.identifier() + "/route", new byte[] {9});

        assertThat(records.all()).isEmpty();
    }

    @Test
    void aCorruptRecordIsRefused() throws Exception {
        byte[] credential = credential(authority).encoded();

        vault.putRecord(name(authority), new BareWriter().writeU8(2).writeData(credential).writeUint(0).toByteArray());
        corrupt("unknown version", records::all).hasCauseInstanceOf(DecodeException.class);

        vault.putRecord(name(authority), new BareWriter().writeU8(1).writeData(credential).writeUint(1).writeString("secure").writeU8(0)
                .toByteArray());
        corrupt("enrolled credential has 1 trailing bytes", records::all);

        vault.putRecord(name(authority), new BareWriter().writeU8(1).writeData(credential).writeUint(33).toByteArray());
        corrupt("route length 33 is out of range (at most 32)", records::all);

        vault.putRecord(name(authority), new BareWriter().writeU8(1).writeData(credential).writeUint(1).writeString("300#x").toByteArray());
        corrupt("transport type must be 0..255, was 300", records::all).hasCauseInstanceOf(IllegalArgumentException.class);

        vault.putRecord(name(authority), new BareWriter().writeU8(1).toByteArray());
        corrupt("truncated input: u8 needs 1 bytes, 0 remain", records::all);
    }

    @Test
    void aStoredCredentialThatIsNoCredentialIsRefused() throws Exception {
        vault.putRecord(name(authority), new BareWriter().writeU8(1).writeData(new byte[] {1, 2, 3}).writeUint(0).toByteArray());

        assertThatThrownBy(records::all).isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessageStartingWith("malformed credential: ");
    }
}
