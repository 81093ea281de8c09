package org.hopseal.api.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hopseal.api.identity.Identifier;

/**
 * A parsed policy expression; records, so that equal expressions are equal values. The parser bounds the nesting.
 */
sealed interface Expression {
    boolean test(Identifier peer, Map<String, String> attributes);

    /** {@code true} or {@code false}. */
    record Constant(boolean value) implements Expression {
        @Override
        public boolean test(Identifier peer, Map<String, String> attributes) {
            return value;
        }
    }

    /** {@code not operand}. */
    record Not(Expression operand) implements Expression {
        @Override
        public boolean test(Identifier peer, Map<String, String> attributes) {
            return !operand.test(peer, attributes);
        }
    }

    /** {@code a and b and ...}: two or more operands. */
    record AllOf(List<Expression> operands) implements Expression {
        public AllOf {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean test(Identifier peer, Map<String, String> attributes) {
            for (Expression operand : operands) {
                if (!operand.test(peer, attributes)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code a or b or ...}: two or more operands. */
    record AnyOf(List<Expression> operands) implements Expression {
        public AnyOf {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean test(Identifier peer, Map<String, String> attributes) {
            for (Expression operand : operands) {
                if (operand.test(peer, attributes)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code subject.name = "v"} (values {@code {v}}), {@code subject.name != "v"} (values {@code {v}}, negated) or
     * {@code subject.name in [...]}. False when the subject has no such attribute, negated or not.
     *
     * @param name {@value #IDENTIFIER} for the peer's identifier, else an attribute name
     */
    record Comparison(String name, boolean negated, Set<String> values) implements Expression {
        static final String IDENTIFIER = "identifier";

        public Comparison {
            Objects.requireNonNull(name, "name");
            values = Set.copyOf(values);
        }

        @Override
        public boolean test(Identifier peer, Map<String, String> attributes) {
            String actual = name.equals(IDENTIFIER) ? peer.value() : attributes.get(name);
            return actual != null && values.contains(actual) != negated;
        }
    }
}
