package org.hopseal.core.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;

/**
 * What an authority keeps in its vault's records (docs/credentials.md): the route, ticket uses and members, each
 * under its documented name and in its documented bytes, read back as written; a corrupt record is a clear
 * {@link CredentialException}, never a wrong value; an authority's members are capped at
 * {@link AuthorityRecords#MAX_MEMBERS}.
 */
class AuthorityRecordsTest {
    private static final Identifier AUTHORITY = new Identifier("I" + "a1".repeat(32));
    private static final Identifier OTHER_AUTHORITY = new Identifier("I" + "c3".repeat(32));
    private static final Identifier MEMBER = new Identifier("I" + "b2".repeat(32));
    private static final byte[] TICKET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final Instant ENROLLED = Instant.parse("2026-03-01T12:00:00Z");

    private final RecordsVault vault = new RecordsVault();
    private final AuthorityRecords records = new AuthorityRecords(vault, AUTHORITY);

    private static AbstractThrowableAssert<?, ? extends Throwable> corrupt(String message, ThrowingCallable call) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessage(message);
    }

    private static String name(String rest) {
        return "authority/" + AUTHORITY + "/" + rest;
    }

    // The route

    @Test
    void theRouteIsStoredAsItsAddressesAndReadBack() throws Exception {
        Route route = Route.of(Address.tcp("10.0.0.1:4000"), Address.local("secure"));
        assertThat(records.route()).isEmpty();

        records.putRoute(route);

        assertThat(vault.record(name("route"))).get().isEqualTo(new BareWriter().writeUint(2).writeString("1#10.0.0.1:4000")
                .writeString("secure").toByteArray());
        assertThat(records.route()).contains(route);
        assertThat(new AuthorityRecords(vault, OTHER_AUTHORITY).route()).as("another authority's route").isEmpty();
    }

    @Test
    void aRouteOfThirtyTwoAddressesIsReadBack() throws Exception {
        List<Address> addresses = new ArrayList<>();
        for (int i = 0; i < Route.MAX_LENGTH; i++) {
            addresses.add(Address.local("hop" + i));
        }
        records.putRoute(Route.of(addresses));

        assertThat(records.route()).contains(Route.of(addresses));
    }

    @Test
    void aCorruptRouteRecordIsRefused() throws Exception {
        String route = name("route");
        vault.putRecord(route, new BareWriter().writeUint(33).toByteArray());
        corrupt("the authority's route record is corrupt: route length 33 is out of range (at most 32)", records::route)
                .hasCauseInstanceOf(DecodeException.class);

        vault.putRecord(route, new BareWriter().writeUint(1).writeString("secure").writeU8(0).toByteArray());
        corrupt("the authority's route record is corrupt: authority route has 1 trailing bytes", records::route);

        vault.putRecord(route, new BareWriter().writeUint(1).writeString("256#10.0.0.1:4000").toByteArray());
        corrupt("the authority's route record is corrupt: transport type must be 0..255, was 256", records::route)
                .hasCauseInstanceOf(IllegalArgumentException.class);

        vault.putRecord(route, new BareWriter().writeUint(2).writeString("secure").toByteArray());
        corrupt("the authority's route record is corrupt: truncated input: u8 needs 1 bytes, 0 remain", records::route);
    }

    // Ticket uses

    @Test
    void ticketUsesAreCountedPerTicketUnderItsHexId() throws Exception {
        byte[] otherTicket = TICKET.clone();
        otherTicket[15] ^= 1;
        assertThat(records.ticketUses(TICKET)).isZero();

        records.putTicketUses(TICKET, 300);

        assertThat(vault.record(name("ticket/00112233445566778899aabbccddeeff"))).get()
                .isEqualTo(new BareWriter().writeUint(300).toByteArray());
        assertThat(records.ticketUses(TICKET)).isEqualTo(300);
        assertThat(records.ticketUses(otherTicket)).as("another ticket").isZero();
        assertThat(new AuthorityRecords(vault, OTHER_AUTHORITY).ticketUses(TICKET)).as("another authority's ticket").isZero();
    }

    @Test
    void aCorruptTicketRecordIsRefused() throws Exception {
        String ticket = name("ticket/00112233445566778899aabbccddeeff");
        vault.putRecord(ticket, new byte[] {1, 0});
        corrupt("the authority's ticket record is corrupt: ticket uses has 1 trailing bytes", () -> records.ticketUses(TICKET))
                .hasCauseInstanceOf(DecodeException.class);

        vault.putRecord(ticket, new byte[0]);
        corrupt("the authority's ticket record is corrupt: truncated input: u8 needs 1 bytes, 0 remain", () -> records.ticketUses(TICKET));
    }

    // Members

    @Test
    void aMemberIsStoredWithItsAttributesSortedAndWhenItEnrolled() throws Exception {
        Map<String, String> unsorted = new LinkedHashMap<>();
        unsorted.put("role", "web");
        unsorted.put("env", "prod");
        assertThat(records.member(MEMBER)).isEmpty();

        records.putMember(MEMBER, unsorted, ENROLLED);

        assertThat(vault.record(name("member/" + MEMBER))).get().isEqualTo(new BareWriter().writeU8(1).writeUint(2)
                .writeString("env").writeString("prod").writeString("role").writeString("web").writeU64(ENROLLED.getEpochSecond())
                .toByteArray());
        AuthorityRecords.Member member = records.member(MEMBER).orElseThrow();
        assertThat(member.attributes()).isEqualTo(unsorted);
        assertThat(member.enrolledAt()).isEqualTo(ENROLLED);
        assertThat(new AuthorityRecords(vault, OTHER_AUTHORITY).member(MEMBER)).as("another authority's member").isEmpty();
    }

    @Test
    void aSecondEnrollmentReplacesTheMembersAttributes() throws Exception {
        records.putMember(MEMBER, Map.of("role", "web", "env", "prod"), ENROLLED);
        records.putMember(MEMBER, Map.of(), ENROLLED.plusSeconds(60));

        AuthorityRecords.Member member = records.member(MEMBER).orElseThrow();
        assertThat(member.attributes()).isEmpty();
        assertThat(member.enrolledAt()).isEqualTo(ENROLLED.plusSeconds(60));
    }

    @Test
    void aCorruptMemberRecordIsRefused() throws Exception {
        String member = name("member/" + MEMBER);
        String prefix = "the authority's member " + MEMBER + " record is corrupt: ";
        BareWriter good = new BareWriter().writeU8(1).writeUint(1).writeString("role").writeString("web").writeU64(ENROLLED.getEpochSecond());

        vault.putRecord(member, new BareWriter().writeU8(2).toByteArray());
        corrupt(prefix + "unknown member record version", () -> records.member(MEMBER)).hasCauseInstanceOf(DecodeException.class);

        vault.putRecord(member, new BareWriter().writeFixed(good.toByteArray()).writeU8(0).toByteArray());
        corrupt(prefix + "member record has 1 trailing bytes", () -> records.member(MEMBER));

        vault.putRecord(member, new BareWriter().writeU8(1).writeUint(1025).toByteArray());
        corrupt(prefix + "attributes 1025 is out of range (at most 1024)", () -> records.member(MEMBER));

        vault.putRecord(member, new BareWriter().writeU8(1).writeUint(0).writeU32(0).toByteArray());
        corrupt(prefix + "truncated input: u64 needs 8 bytes, 4 remain", () -> records.member(MEMBER));
    }

    @Test
    void anAuthorityKeepsAtMostMaxMembersButAMemberMayEnrollAgain() throws Exception {
        assertThat(AuthorityRecords.MAX_MEMBERS).isEqualTo(100_000);
        // One member short of the cap, and others' records that are no members of this authority.
        vault.phantoms = new PhantomNames(name("member/I"), AuthorityRecords.MAX_MEMBERS - 1);
        vault.putRecord("authority/" + OTHER_AUTHORITY + "/member/" + MEMBER, new byte[] {1});
        vault.putRecord(name("ticket/00112233445566778899aabbccddeeff"), new byte[] {1});
        vault.putRecord(name("route"), new byte[] {0});
        Identifier last = new Identifier("I" + "d4".repeat(32));
        Identifier oneTooMany = new Identifier("I" + "e5".repeat(32));

        records.putMember(last, Map.of("role", "web"), ENROLLED);

        assertThatThrownBy(() -> records.putMember(oneTooMany, Map.of("role", "web"), ENROLLED))
                .isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessage("this authority has 100000 members already");
        assertThat(records.member(oneTooMany)).isEmpty();
        records.putMember(last, Map.of("role", "db"), ENROLLED);
        assertThat(records.member(last).orElseThrow().attributes()).as("a member enrolls again at the cap").containsEntry("role", "db");
    }

    @Test
    void membersOfOtherAuthoritiesDoNotCountTowardsTheCap() throws Exception {
        vault.phantoms = new PhantomNames("authority/" + OTHER_AUTHORITY + "/member/I", AuthorityRecords.MAX_MEMBERS);

        records.putMember(MEMBER, Map.of("role", "web"), ENROLLED);

        assertThat(records.member(MEMBER)).isPresent();
    }

    /** {@code size} record names {@code prefix + i} that exist in {@link RecordsVault#recordNames()} only. */
    private static final class PhantomNames extends AbstractList<String> {
        private final String prefix;
        private final int size;

        PhantomNames(String prefix, int size) {
            this.prefix = prefix;
            this.size = size;
        }

        @Override
        public String get(int index) {
            return prefix + String.format("%064x", index);
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** Records only, in memory; {@link #phantoms} add names without records (to reach a cap cheaply). */
    private static final class RecordsVault implements SigningVault {
        private final Map<String, byte[]> records = new TreeMap<>();
        List<String> phantoms = List.of();

        @Override
        public void putRecord(String name, byte[] value) {
            records.put(name, value.clone());
        }

        @Override
        public Optional<byte[]> record(String name) {
            return Optional.ofNullable(records.get(name)).map(byte[]::clone);
        }

        @Override
        public List<String> recordNames() {
            List<String> names = new ArrayList<>(records.keySet());
            names.addAll(phantoms);
            return names;
        }

        @Override
        public Set<KeyType> signingKeyTypes() {
            return Set.of();
        }

        @Override
        public SigningKeyHandle generateSigningKey(KeyType type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PublicKey publicKey(SigningKeyHandle key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<SigningKeyHandle> find(PublicKey publicKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SigningKeyHandle> signingKeys() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] sign(SigningKeyHandle key, byte[] data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(SigningKeyHandle key) {
            throw new UnsupportedOperationException();
        }
    }
}
