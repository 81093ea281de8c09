package org.hopseal.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A JSON object with string and number fields, in the order they were put, for {@code --output json}. */
final class Json {
    private final Map<String, String> fields = new LinkedHashMap<>();

    /** A string field; {@code null} is JSON's null. */
    Json put(String name, String value) {
        fields.put(name, value == null ? "null" : quote(value));
        return this;
    }

    Json put(String name, long value) {
        fields.put(name, Long.toString(value));
        return this;
    }

    @Override
    public String toString() {
        return fields.entrySet().stream().map(f -> quote(f.getKey()) + ":" + f.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    /** The objects as a JSON array. */
    static String array(List<Json> objects) {
        return objects.stream().map(Json::toString).collect(Collectors.joining(",", "[", "]"));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
