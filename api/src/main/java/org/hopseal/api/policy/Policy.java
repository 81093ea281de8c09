package org.hopseal.api.policy;

import java.util.Map;
import java.util.Objects;
import org.hopseal.api.error.PolicyException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.worker.AccessControl;

/**
 * A decision on an authenticated peer, written as an expression over its identifier and the attributes trusted
 * authorities vouched for ({@link PeerIdentity#attributes()}), for example
 * <pre>{@code
 * subject.role = "web" and (subject.env = "prod" or subject.env = "staging")
 * subject.role in ["web", "api"]
 * not subject.env = "dev"
 * subject.identifier = "I0123...cdef"
 * true
 * }</pre>
 * As a {@link TrustPolicy} it decides which peers a secure channel accepts; as an {@link AccessControl} it decides
 * which messages reach a worker.
 *
 * <h2>Grammar</h2>
 * <pre>{@code
 * policy     = or EOF
 * or         = and { "or" and }
 * and        = unary { "and" unary }
 * unary      = "not" unary | primary
 * primary    = "(" or ")" | "true" | "false" | comparison
 * comparison = subject ( "=" string | "!=" string | "in" "[" [ string { "," string } ] "]" )
 * subject    = "subject." name
 * name       = [a-z][a-z0-9_-]{0,63}
 * string     = '"' { any character but '"', '\' and control characters | '\"' | '\\' } '"'
 * }</pre>
 * Keywords ({@code and or not in true false}) are lower-case; {@code AND}, {@code &&} or {@code !} are errors.
 * Between tokens, spaces, tabs and newlines ({@code \n}) may appear. {@code not} binds tighter than {@code and},
 * which binds tighter than {@code or}: {@code a or b and c} is {@code a or (b and c)}, and {@code not a and b} is
 * {@code (not a) and b}. A string has no escapes but {@code \"} and {@code \\}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@code subject.identifier} is the peer's {@link Identifier} ({@code "I"} and 64 lower-case hex characters;
 *       other strings compared with it are refused when parsing). Every peer has one. An attribute named
 *       {@code identifier} cannot be tested.</li>
 *   <li>Any other {@code subject.NAME} is the attribute {@code NAME}. Values compare as exact strings, case and all.
 *       </li>
 *   <li>A comparison on an attribute the peer does not have is <b>false</b>, for {@code =}, {@code !=} and
 *       {@code in} alike. So {@code subject.role != "db"} admits only peers that have a role and it is not
 *       {@code db}, while {@code not subject.role = "db"} also admits peers without a role. Write the first form to
 *       require the attribute.</li>
 *   <li>{@code in []} is false for everyone.</li>
 *   <li>As an {@link AccessControl}, a message that did not come out of an authenticated secure channel (sent
 *       locally, read from a transport, or from a channel without an authenticated peer) is refused, whatever the
 *       expression, even {@code true}.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * An expression has at most {@value #MAX_LENGTH} characters; it nests at most {@value #MAX_DEPTH} deep, counting each
 * open {@code (} and each {@code not} around a point; an {@code in} list has at most {@value #MAX_LIST} strings; a
 * string has at most {@value #MAX_STRING_BYTES} bytes in UTF-8. Each limit is refused when parsing.
 *
 * <h2>Errors</h2>
 * {@link #parse} throws a {@link PolicyException} for any expression it refuses; its {@link PolicyException#position()}
 * is the character (counted from 1, in Unicode code points) where the offending token starts, or the offending
 * character inside a string, or 4097 for an expression over the length limit; its message says what was expected
 * and what was found, for example
 * {@code policy: expected '=', '!=' or 'in' after subject.role at position 14, found 'web'}.
 *
 * <p>Two policies are equal when they parse to the same expression, whatever their spacing, redundant parentheses
 * or order of an {@code in} list; {@link #toString()} is the expression as written.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.3
 */
public final class Policy implements TrustPolicy, AccessControl {
    /** The most characters an expression may have. */
    public static final int MAX_LENGTH = 4096;
    /** The deepest nesting of {@code (} and {@code not}. */
    public static final int MAX_DEPTH = 32;
    /** The most strings in an {@code in} list. */
    public static final int MAX_LIST = 256;
    /** The most UTF-8 bytes of a string. */
    public static final int MAX_STRING_BYTES = 256;

    private final String source;
    private final Expression expression;

    private Policy(String source, Expression expression) {
        this.source = source;
        this.expression = expression;
    }

    /**
     * The policy that {@code expression} writes.
     *
     * @param expression the expression, as the grammar above writes it
     * @return the policy
     * @throws PolicyException if it does not follow the grammar or exceeds a limit
     * @throws NullPointerException if {@code expression} is {@code null}
     */
    public static Policy parse(String expression) throws PolicyException {
        Objects.requireNonNull(expression, "expression");
        return new Policy(expression, Parser.parse(expression));
    }

    /**
     * Whether a peer with this identifier and these attributes is admitted.
     *
     * @param peer the peer's identifier, which {@code subject.identifier} compares with
     * @param attributes the attributes trusted authorities vouched for, which {@code subject.NAME} compares with
     * @return whether the expression holds for the peer
     * @throws NullPointerException if an argument is {@code null}
     */
    public boolean test(Identifier peer, Map<String, String> attributes) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(attributes, "attributes");
        return expression.test(peer, attributes);
    }

    /** Whether this verified peer is admitted, on its identifier and attributes. */
    @Override
    public boolean check(PeerIdentity peer) {
        return test(peer.identifier(), peer.attributes());
    }

    /**
     * Whether the message's authenticated peer, as its {@link Origin} says, is admitted; false for a message without
     * one.
     */
    @Override
    public boolean isAuthorized(LocalMessage message) {
        Origin origin = message.origin();
        return origin.peerIdentifier().map(peer -> test(peer, origin.peerAttributes())).orElse(false);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Policy policy && expression.equals(policy.expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    /** The expression as written. */
    @Override
    public String toString() {
        return source;
    }
}
