package org.hopseal.kafka;

import java.util.regex.Pattern;
import org.hopseal.api.error.DecodeException;

/** Kafka's rule for topic names: 1 to 249 of ASCII letters, digits, '.', '_' and '-'. */
final class Topics {
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private Topics() {
    }

    static String check(String topic) throws DecodeException {
        if (!LEGAL.matcher(topic).matches()) {
            throw new DecodeException("a topic name is 1 to 249 ASCII letters, digits, '.', '_' or '-'");
        }
        return topic;
    }
}
