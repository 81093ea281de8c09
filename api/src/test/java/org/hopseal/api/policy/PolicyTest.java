package org.hopseal.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.hopseal.api.error.PolicyException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.worker.AccessControl;
import org.junit.jupiter.api.Test;

/** What a policy decides: operators, precedence, missing attributes, identifiers, and the two adaptors. */
class PolicyTest {
    private static final Identifier ALICE = new Identifier("I" + "a".repeat(64));
    private static final Identifier BOB = new Identifier("I" + "b".repeat(64));
    private static final Origin TCP = new Origin.Transport(Address.tcp("10.0.0.1:4000"), true);

    private static boolean decide(String expression, Map<String, String> attributes) throws PolicyException {
        return Policy.parse(expression).test(ALICE, attributes);
    }

    /** Attributes a, b, c set to "1" where the bit is set, missing otherwise. */
    private static Map<String, String> bits(int bits) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            if ((bits & 1 << i) != 0) {
                attributes.put(String.valueOf((char) ('a' + i)), "1");
            }
        }
        return attributes;
    }

    private static Policy parse(String expression) {
        try {
            return Policy.parse(expression);
        } catch (PolicyException e) {
            throw new AssertionError(e);
        }
    }

    private static LocalMessage from(Origin origin) {
        return new LocalMessage(TransportMessage.wrap(Route.of("svc"), Route.of("app"), new byte[0])).withOrigin(origin);
    }

    private static Origin channel(Optional<Identifier> peer, Map<String, String> attributes) {
        return new Origin.Channel(Address.of("d"), Optional.of(Address.of("listener")), Optional.empty(), peer, TCP,
                attributes);
    }

    @Test
    void constants() throws PolicyException {
        assertThat(decide("true", Map.of())).isTrue();
        assertThat(decide("false", Map.of())).isFalse();
    }

    @Test
    void equalsComparesTheExactValue() throws PolicyException {
        String policy = "subject.role = \"web\"";
        assertThat(decide(policy, Map.of("role", "web"))).isTrue();
        assertThat(decide(policy, Map.of("role", "db"))).isFalse();
        assertThat(decide(policy, Map.of("role", "Web"))).as("case matters").isFalse();
        assertThat(decide(policy, Map.of("role", "web "))).isFalse();
        assertThat(decide(policy, Map.of("other", "web"))).as("another attribute").isFalse();
        assertThat(decide(policy, Map.of())).as("missing").isFalse();
    }

    @Test
    void notEqualsNeedsTheAttribute() throws PolicyException {
        String policy = "subject.role != \"db\"";
        assertThat(decide(policy, Map.of("role", "web"))).isTrue();
        assertThat(decide(policy, Map.of("role", "db"))).isFalse();
        assertThat(decide(policy, Map.of())).as("a peer without a role is not admitted by !=").isFalse();
    }

    @Test
    void notOfEqualsAdmitsAPeerWithoutTheAttribute() throws PolicyException {
        String policy = "not subject.role = \"db\"";
        assertThat(decide(policy, Map.of("role", "web"))).isTrue();
        assertThat(decide(policy, Map.of("role", "db"))).isFalse();
        assertThat(decide(policy, Map.of())).as("a peer without a role is admitted by not =").isTrue();
    }

    @Test
    void inIsMembership() throws PolicyException {
        String policy = "subject.role in [\"web\", \"api\"]";
        assertThat(decide(policy, Map.of("role", "web"))).isTrue();
        assertThat(decide(policy, Map.of("role", "api"))).isTrue();
        assertThat(decide(policy, Map.of("role", "db"))).isFalse();
        assertThat(decide(policy, Map.of())).as("missing").isFalse();
        assertThat(decide("not " + policy, Map.of())).isTrue();
        assertThat(decide("subject.role in [\"web\"]", Map.of("role", "web"))).isTrue();
        assertThat(decide("subject.role in []", Map.of("role", "web"))).as("an empty list").isFalse();
        assertThat(decide("subject.role in [ ]", Map.of())).isFalse();
        assertThat(decide("subject.role in [\"web\",\"web\"]", Map.of("role", "web"))).as("duplicates").isTrue();
    }

    @Test
    void aNullValueInTheMapIsAMissingAttribute() throws PolicyException {
        Map<String, String> nullRole = new HashMap<>();
        nullRole.put("role", null);
        assertThat(decide("subject.role != \"db\"", nullRole)).isFalse();
        assertThat(decide("subject.role in [\"db\"]", nullRole)).isFalse();
    }

    @Test
    void andOrAndNotFollowTheirTruthTables() throws PolicyException {
        for (int i = 0; i < 8; i++) {
            Map<String, String> v = bits(i);
            boolean a = v.containsKey("a");
            boolean b = v.containsKey("b");
            boolean c = v.containsKey("c");
            String as = "subject.a = \"1\"";
            String bs = "subject.b = \"1\"";
            String cs = "subject.c = \"1\"";
            assertThat(decide(as + " and " + bs, v)).as("a and b, %s", v).isEqualTo(a && b);
            assertThat(decide(as + " or " + bs, v)).as("a or b, %s", v).isEqualTo(a || b);
            assertThat(decide(as + " and " + bs + " and " + cs, v)).as("a and b and c, %s", v).isEqualTo(a && b && c);
            assertThat(decide(as + " or " + bs + " or " + cs, v)).as("a or b or c, %s", v).isEqualTo(a || b || c);
            assertThat(decide("not " + as, v)).as("not a, %s", v).isEqualTo(!a);
            assertThat(decide("not not " + as, v)).as("not not a, %s", v).isEqualTo(a);
            assertThat(decide(as + " or " + bs + " and " + cs, v)).as("a or b and c, %s", v).isEqualTo(a || (b && c));
            assertThat(decide(as + " and " + bs + " or " + cs, v)).as("a and b or c, %s", v).isEqualTo((a && b) || c);
            assertThat(decide("(" + as + " or " + bs + ") and " + cs, v)).as("(a or b) and c, %s", v)
                    .isEqualTo((a || b) && c);
            assertThat(decide(as + " and (" + bs + " or " + cs + ")", v)).as("a and (b or c), %s", v)
                    .isEqualTo(a && (b || c));
            assertThat(decide("not " + as + " and " + bs, v)).as("not a and b, %s", v).isEqualTo(!a && b);
            assertThat(decide("not " + as + " or " + bs, v)).as("not a or b, %s", v).isEqualTo(!a || b);
            assertThat(decide("not (" + as + " or " + bs + ")", v)).as("not (a or b), %s", v).isEqualTo(!(a || b));
            assertThat(decide("not (" + as + " and " + bs + ")", v)).as("not (a and b), %s", v).isEqualTo(!(a && b));
        }
    }

    @Test
    void constantsCombine() throws PolicyException {
        assertThat(decide("true and false", Map.of())).isFalse();
        assertThat(decide("false and true", Map.of())).isFalse();
        assertThat(decide("true and true", Map.of())).isTrue();
        assertThat(decide("false or true", Map.of())).isTrue();
        assertThat(decide("true or false", Map.of())).isTrue();
        assertThat(decide("false or false", Map.of())).isFalse();
        assertThat(decide("false or true and false", Map.of())).isFalse();
        assertThat(decide("true or true and false", Map.of())).as("and binds tighter").isTrue();
        assertThat(decide("(true or true) and false", Map.of())).isFalse();
        assertThat(decide("not false", Map.of())).isTrue();
        assertThat(decide("not true or true", Map.of())).as("not binds tighter than or").isTrue();
        assertThat(decide("not (true or true)", Map.of())).isFalse();
        assertThat(decide("((((true))))", Map.of())).isTrue();
    }

    @Test
    void theDocumentedExamples() throws PolicyException {
        String webInProdOrStaging = "subject.role = \"web\" and (subject.env = \"prod\" or subject.env = \"staging\")";
        assertThat(decide(webInProdOrStaging, Map.of("role", "web", "env", "prod"))).isTrue();
        assertThat(decide(webInProdOrStaging, Map.of("role", "web", "env", "staging"))).isTrue();
        assertThat(decide(webInProdOrStaging, Map.of("role", "web", "env", "dev"))).isFalse();
        assertThat(decide(webInProdOrStaging, Map.of("role", "db", "env", "prod"))).isFalse();
        assertThat(decide(webInProdOrStaging, Map.of("env", "prod"))).isFalse();
        assertThat(decide("not subject.env = \"dev\"", Map.of("env", "dev"))).isFalse();
        assertThat(decide("not subject.env = \"dev\"", Map.of("env", "prod"))).isTrue();
    }

    @Test
    void theIdentifierIsAlwaysThere() throws PolicyException {
        Policy alice = Policy.parse("subject.identifier = \"" + ALICE + "\"");
        assertThat(alice.test(ALICE, Map.of())).isTrue();
        assertThat(alice.test(BOB, Map.of())).isFalse();
        assertThat(alice.test(BOB, Map.of("identifier", ALICE.value()))).as("not an attribute").isFalse();

        Policy notAlice = Policy.parse("subject.identifier != \"" + ALICE + "\"");
        assertThat(notAlice.test(ALICE, Map.of())).isFalse();
        assertThat(notAlice.test(BOB, Map.of())).as("every peer has an identifier").isTrue();

        Policy either = Policy.parse("subject.identifier in [\"" + ALICE + "\", \"" + BOB + "\"]");
        assertThat(either.test(ALICE, Map.of())).isTrue();
        assertThat(either.test(BOB, Map.of())).isTrue();
        assertThat(either.test(new Identifier("I" + "c".repeat(64)), Map.of())).isFalse();
    }

    @Test
    void attributeNamesAndStrings() throws PolicyException {
        assertThat(decide("subject.x = \"1\"", Map.of("x", "1"))).isTrue();
        assertThat(decide("subject.a_b-9 = \"1\"", Map.of("a_b-9", "1"))).isTrue();
        assertThat(decide("subject.a = \"\"", Map.of("a", ""))).as("the empty string").isTrue();
        assertThat(decide("subject.a = \"\"", Map.of())).isFalse();
        assertThat(decide("subject.a = \"say \\\"hi\\\"\"", Map.of("a", "say \"hi\""))).isTrue();
        assertThat(decide("subject.a = \"c:\\\\dir\"", Map.of("a", "c:\\dir"))).isTrue();
        assertThat(decide("subject.a = \"c:\\\\dir\"", Map.of("a", "c:\\\\dir"))).isFalse();
        assertThat(decide("subject.a = \"z\u00fcrich \u20ac \uD83D\uDE00 'x' and or ( ]\"", Map.of("a",
                "z\u00fcrich \u20ac \uD83D\uDE00 'x' and or ( ]"))).isTrue();
        assertThat(decide("\tsubject.a\n=\n\"1\"\tand\ttrue\n", Map.of("a", "1"))).as("tabs and newlines").isTrue();
        assertThat(decide("subject.a=\"1\"and(subject.b!=\"2\")", Map.of("a", "1", "b", "3"))).as("no spaces")
                .isTrue();
        assertThat(decide("subject.a in[\"1\",\"2\"]", Map.of("a", "2"))).isTrue();
    }

    @Test
    void longChainsAreFlat() throws PolicyException {
        String anyOf = "false or ".repeat(400) + "true";
        String allOf = "true and ".repeat(400) + "false";
        assertThat(decide(anyOf, Map.of())).isTrue();
        assertThat(decide(allOf, Map.of())).isFalse();
    }

    @Test
    void aTrustPolicyChecksTheVerifiedPeer() throws PolicyException {
        TrustPolicy web = Policy.parse("subject.role = \"web\"");
        PublicKey key = new PublicKey(KeyType.ED25519, new byte[32]);

        assertThat(web.check(new PeerIdentity(ALICE, key, Map.of("role", "web")))).isTrue();
        assertThat(web.check(new PeerIdentity(ALICE, key, Map.of("role", "db")))).isFalse();
        assertThat(web.check(new PeerIdentity(ALICE, key))).isFalse();
        assertThat(Policy.parse("subject.identifier = \"" + BOB + "\"").check(new PeerIdentity(BOB, key))).isTrue();
        assertThat(Policy.parse("subject.identifier = \"" + BOB + "\"").check(new PeerIdentity(ALICE, key))).isFalse();
    }

    @Test
    void anAccessControlReadsTheChannelsPeerFromTheOrigin() throws PolicyException {
        AccessControl web = Policy.parse("subject.role = \"web\"");

        assertThat(web.isAuthorized(from(channel(Optional.of(ALICE), Map.of("role", "web"))))).isTrue();
        assertThat(web.isAuthorized(from(channel(Optional.of(ALICE), Map.of("role", "db"))))).isFalse();
        assertThat(web.isAuthorized(from(channel(Optional.of(ALICE), Map.of())))).isFalse();
        assertThat(web.isAuthorized(from(channel(Optional.of(ALICE), Map.of())).withLocalInfo("role", "web")))
                .as("local information is no attribute").isFalse();
        assertThat(Policy.parse("subject.identifier = \"" + ALICE + "\"")
                .isAuthorized(from(channel(Optional.of(ALICE), Map.of())))).isTrue();
        assertThat(Policy.parse("subject.identifier = \"" + ALICE + "\"")
                .isAuthorized(from(channel(Optional.of(BOB), Map.of())))).isFalse();
    }

    @Test
    void anAccessControlRefusesMessagesWithoutAnAuthenticatedPeer() throws PolicyException {
        AccessControl anyone = Policy.parse("true");
        AccessControl notDb = Policy.parse("not subject.role = \"db\"");

        assertThat(anyone.isAuthorized(from(channel(Optional.of(ALICE), Map.of())))).isTrue();
        for (Origin origin : new Origin[] {Origin.LOCAL, TCP, channel(Optional.empty(), Map.of())}) {
            assertThat(anyone.isAuthorized(from(origin))).as("true, from %s", origin).isFalse();
            assertThat(notDb.isAuthorized(from(origin))).as("not =, from %s", origin).isFalse();
        }
    }

    @Test
    void toStringIsTheExpressionAsWrittenAndEqualityIsOnTheParsedExpression() throws PolicyException {
        String written = " subject.role  =\"web\" ";
        Policy policy = Policy.parse(written);

        assertThat(policy).hasToString(written);
        assertThat(policy).isEqualTo(Policy.parse("(subject.role = \"web\")"))
                .hasSameHashCodeAs(Policy.parse("(subject.role = \"web\")"));
        assertThat(policy).isNotEqualTo(Policy.parse("subject.role = \"db\""));
        assertThat(policy).isNotEqualTo(Policy.parse("subject.role != \"web\""));
        assertThat(policy).isNotEqualTo(Policy.parse("subject.env = \"web\""));
        assertThat(policy).isNotEqualTo(written);
        assertThat(Policy.parse("subject.a in [\"x\", \"y\"]")).isEqualTo(Policy.parse("subject.a in [\"y\",\"x\"]"));
        assertThat(Policy.parse("true and false")).isNotEqualTo(Policy.parse("true or false"));
        assertThat(Policy.parse("not true")).isNotEqualTo(Policy.parse("true"));
        assertThat(Stream.of("true", "false", "not true", "subject.a = \"x\"", "subject.a = \"y\"")
                .map(PolicyTest::parse).map(Policy::hashCode).distinct().count()).as("hash codes spread").isGreaterThan(1);
    }

    @Test
    void nullsAreProgrammingErrors() throws PolicyException {
        Policy policy = Policy.parse("true");
        assertThatNullPointerException().isThrownBy(() -> Policy.parse(null));
        assertThatNullPointerException().isThrownBy(() -> policy.test(null, Map.of()));
        assertThatNullPointerException().isThrownBy(() -> policy.test(ALICE, null));
    }
}
