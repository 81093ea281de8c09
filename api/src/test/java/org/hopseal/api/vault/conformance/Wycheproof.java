package org.hopseal.api.vault.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hopseal.api.wire.Json;

/** Reads the committed Wycheproof files (test resources {@code vectors/wycheproof}, see SOURCE.txt there). */
final class Wycheproof {
    private Wycheproof() {
    }

    /** One test case with the group it belongs to. */
    record Case(Map<String, Object> group, Map<String, Object> test) {
        String hex(String key) {
            return (String) test.get(key);
        }

        byte[] bytes(String key) {
            return HexFormat.of().parseHex(hex(key));
        }

        long groupLong(String key) {
            return (Long) group.get(key);
        }

        String result() {
            return (String) test.get("result");
        }

        @SuppressWarnings("unchecked")
        List<String> flags() {
            return (List<String>) test.getOrDefault("flags", List.of());
        }

        String name() {
            return "tcId " + test.get("tcId") + " [" + result() + "] " + test.get("comment");
        }
    }

    @SuppressWarnings("unchecked")
    static List<Case> load(String file) {
        try (InputStream in = Wycheproof.class.getResourceAsStream("/vectors/wycheproof/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource vectors/wycheproof/" + file);
            }
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Case> cases = new ArrayList<>();
            for (Object g : (List<Object>) root.get("testGroups")) {
                Map<String, Object> group = (Map<String, Object>) g;
                for (Object t : (List<Object>) group.get("tests")) {
                    cases.add(new Case(group, (Map<String, Object>) t));
                }
            }
            return cases;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
