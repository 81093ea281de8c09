package org.hopseal.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * A config file: one YAML 1.2 mapping (core schema) of keys to values, each value text, a whole number, true or false,
 * or a list of texts. Every error names the file and, where there is one, the line and the key.
 */
final class ConfigFile {
    /** A larger file is no config file. */
    static final int MAX_BYTES = 1024 * 1024;

    private final Path path;
    private final Map<String, NodeTuple> entries;

    private ConfigFile(Path path, Map<String, NodeTuple> entries) {
        this.path = path;
        this.entries = entries;
    }

    static ConfigFile read(Path path) throws ConfigFileException {
        Optional<Node> document = document(path, contents(path));
        if (document.isEmpty()) {
            return new ConfigFile(path, Map.of());
        }
        if (!(document.get() instanceof MappingNode mapping)) {
            throw new ConfigFileException(where(path, document.get().getStartMark())
                    + ": the file must be a mapping of option names to values, such as 'listen: 127.0.0.1:4000'");
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple entry : mapping.getValue()) {
            Node key = entry.getKeyNode();
            if (!(key instanceof ScalarNode name) || !key.getTag().equals(Tag.STR)) {
                throw new ConfigFileException(where(path, key.getStartMark()) + ": a key must be an option name");
            }
            NodeTuple earlier = entries.putIfAbsent(name.getValue(), entry);
            if (earlier != null) {
                throw new ConfigFileException(where(path, key.getStartMark()) + ": " + name.getValue()
                        + ": given twice (first on line " + line(earlier.getKeyNode()) + ")");
            }
        }
        return new ConfigFile(path, entries);
    }

    private static String contents(Path path) throws ConfigFileException {
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new ConfigFileException("the config file " + path + " is larger than " + MAX_BYTES + " bytes");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigFileException("the config file " + path + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigFileException("cannot read the config file " + path + ": " + IoErrors.reason(e));
        }
    }

    /** The file's one YAML document, if it has one, with the line and column of every node. */
    private static Optional<Node> document(Path path, String text) throws ConfigFileException {
        LoadSettings settings = LoadSettings.builder().setLabel(path.toString()).setSchema(new CoreSchema()).build();
        try {
            return new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text))).getSingleNode();
        } catch (MarkedYamlEngineException e) {
            String column = e.getProblemMark().map(m -> ", column " + (m.getColumn() + 1)).orElse("");
            throw new ConfigFileException(where(path, e.getProblemMark()) + column + ": not YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ConfigFileException(path + ": not YAML: " + e.getMessage());
        }
    }

    /** The keys, in the order of the file. */
    Set<String> keys() {
        return entries.keySet();
    }

    /** The value of {@code key}, one text (a number is taken as its text). */
    String text(String key) throws ConfigFileException {
        Node value = entries.get(key).getValueNode();
        if (value instanceof SequenceNode) {
            throw error(key, "takes one value, not a list");
        }
        return text(key, value);
    }

    /** The value of {@code key}, a whole number that fits in an {@code int}. */
    int wholeNumber(String key) throws ConfigFileException {
        Node value = entries.get(key).getValueNode();
        if (value instanceof ScalarNode scalar && value.getTag().equals(Tag.INT)) {
            try {
                return parseWholeNumber(scalar.getValue());
            } catch (NumberFormatException e) {
                throw error(key, "'" + scalar.getValue() + "' is out of range");
            }
        }
        throw error(key, "takes a whole number, was " + shown(value));
    }

    /** The value of {@code key}, {@code true} or {@code false}. */
    boolean trueOrFalse(String key) throws ConfigFileException {
        Node value = entries.get(key).getValueNode();
        if (value instanceof ScalarNode scalar && value.getTag().equals(Tag.BOOL)) {
            return Boolean.parseBoolean(scalar.getValue());
        }
        throw error(key, "takes true or false, was " + shown(value));
    }

    /** The value of {@code key}, a list of texts (one text is a list of one); never empty. */
    List<String> texts(String key) throws ConfigFileException {
        Node value = entries.get(key).getValueNode();
        if (!(value instanceof SequenceNode sequence)) {
            return List.of(text(key, value));
        }
        if (sequence.getValue().isEmpty()) {
            throw error(key, "is an empty list; leave the key out for the default");
        }
        List<String> texts = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            texts.add(text(key, item));
        }
        return texts;
    }

    /** An error about {@code key}: the file, the key's line, the key and the problem. */
    ConfigFileException error(String key, String problem) {
        return error(entries.get(key).getKeyNode(), key, problem);
    }

    private ConfigFileException error(Node at, String key, String problem) {
        return new ConfigFileException(where(path, at.getStartMark()) + ": " + key + ": " + problem);
    }

    private String text(String key, Node value) throws ConfigFileException {
        if (value instanceof ScalarNode scalar
                && (value.getTag().equals(Tag.STR) || value.getTag().equals(Tag.INT) || value.getTag().equals(Tag.FLOAT))) {
            return scalar.getValue();
        }
        throw error(value, key, "takes text, was " + shown(value));
    }

    /** A whole number as YAML's core schema writes it: decimal, or {@code 0o} octal, or {@code 0x} hexadecimal. */
    private static int parseWholeNumber(String text) {
        if (text.startsWith("0x")) {
            return Integer.parseInt(text.substring(2), 16);
        }
        if (text.startsWith("0o")) {
            return Integer.parseInt(text.substring(2), 8);
        }
        return Integer.parseInt(text);
    }

    /** What a value that has the wrong type is, for an error. */
    private static String shown(Node value) {
        if (value instanceof SequenceNode) {
            return "a list";
        }
        if (value instanceof MappingNode) {
            return "a mapping";
        }
        Tag tag = value.getTag();
        if (tag.equals(Tag.NULL)) {
            return "empty";
        }
        String text = ((ScalarNode) value).getValue();
        if (tag.equals(Tag.STR)) {
            return "the text '" + text + "'";
        }
        return tag.equals(Tag.BOOL) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) ? text : "a value tagged " + tag.getValue();
    }

    private static String where(Path path, Optional<Mark> mark) {
        return mark.map(m -> path + ", line " + (m.getLine() + 1)).orElse(path.toString());
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
