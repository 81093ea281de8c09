package org.hopseal.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hopseal.vault.file.FileVaultProvider;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The options of a command's config file ({@code --config FILE}), as picocli's default values: an option given on the
 * command line wins over the file, and a list given there replaces the file's list. A key is an option's long name
 * without the dashes ({@code listen}, {@code max-connections}); a list option takes a list. The whole file is checked
 * before the command runs: a key that is no option of the command, a secret, or a value of the wrong type is a usage
 * error that names the file, the line and the key.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    /** The option that names the config file. */
    static final String OPTION = "--config";

    /** Key names that ask for a secret, which a config file never holds. */
    private static final Pattern SECRET = Pattern.compile("(^|.*[-_])(pin|passphrase|password|secret)([-_].*|$)");

    private Path readFrom;
    private Map<String, String> values;

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        CommandSpec command = option.command();
        Path file = command.findOption(OPTION).getValue();
        CommandLine line = command.commandLine();
        if (file == null || line.isUsageHelpRequested() || line.isVersionHelpRequested()) {
            return null;
        }
        if (!file.equals(readFrom)) {
            try {
                values = values(ConfigFile.read(file), command);
            } catch (ConfigFileException e) {
                throw new ParameterException(line, e.getMessage());
            }
            readFrom = file;
        }
        return values.get(option.longestName());
    }

    /** Each option the file sets, by its longest name, with its value as the command line would give it. */
    private static Map<String, String> values(ConfigFile file, CommandSpec command) throws ConfigFileException {
        Map<String, String> values = new HashMap<>();
        for (String key : file.keys()) {
            OptionSpec option = option(file, command, key);
            values.put(option.longestName(), value(file, key, option));
        }
        return values;
    }

    /** The option {@code key} sets, or why the file may not set it. */
    private static OptionSpec option(ConfigFile file, CommandSpec command, String key) throws ConfigFileException {
        if (key.startsWith("-")) {
            throw file.error(key, "write the option's name without the dashes, as '" + key.replaceFirst("^-+", "") + "'");
        }
        OptionSpec option = command.findOption("--" + key);
        String name = command.qualifiedName();
        if (option == null) {
            if (SECRET.matcher(key).matches()) {
                throw file.error(key, "a config file holds no secrets: a PKCS#11 PIN comes from pin-source=env:NAME or"
                        + " pin-source=file:PATH in the vault URI, a file vault's passphrase from passphrase-source=env:NAME or"
                        + " passphrase-source=file:PATH in its spec, or the environment variable " + FileVaultProvider.PASSPHRASE_ENV);
            }
            Optional<CommandSpec> other = commandTaking(command.root(), "--" + key);
            if (other.isPresent()) {
                throw file.error(key, "an option of " + other.get().qualifiedName() + ", not of " + name);
            }
            throw file.error(key, "not an option of " + name + " (a key is the long name of one of its options without"
                    + " the dashes; see '" + name + " --help')");
        }
        if (option.longestName().equals(OPTION)) {
            throw file.error(key, "a config file cannot name another");
        }
        if (option.usageHelp() || option.versionHelp()) {
            throw file.error(key, "not a setting");
        }
        if (option.inherited()) {
            throw file.error(key, "an option of every hopseal command, not read from the file: give it on the command line");
        }
        return option;
    }

    /** The value of {@code key} as text for {@code option}, checked against the option's type and converter. */
    private static String value(ConfigFile file, String key, OptionSpec option) throws ConfigFileException {
        if (option.arity().max() == 0) {
            return Boolean.toString(file.trueOrFalse(key));
        }
        if (option.type() == int.class || option.type() == Integer.class) {
            return Integer.toString(file.wholeNumber(key));
        }
        if (option.isMultiValue()) {
            List<String> items = file.texts(key);
            for (String item : items) {
                if (item.contains(",")) {
                    throw file.error(key, "'" + item + "' holds a ','; give each value as an item of the list");
                }
                converted(file, key, option, item);
            }
            return literal(String.join(",", items));
        }
        return literal(converted(file, key, option, file.text(key)));
    }

    /** {@code text}, once the option's own converter (if it has one) took it. */
    private static String converted(ConfigFile file, String key, OptionSpec option, String text) throws ConfigFileException {
        for (ITypeConverter<?> converter : option.converters()) {
            try {
                converter.convert(text);
            } catch (Exception e) {
                throw file.error(key, e.getMessage());
            }
        }
        return text;
    }

    /** {@code text} with picocli's variable syntax ({@code ${...}}) escaped: a file's value is taken as written. */
    private static String literal(String text) {
        return text.replace("$", "$$");
    }

    /** The first command under {@code root} that takes the option {@code name}. */
    private static Optional<CommandSpec> commandTaking(CommandSpec root, String name) {
        OptionSpec option = root.findOption(name);
        if (option != null && !option.inherited()) {
            return Optional.of(root);
        }
        for (CommandLine sub : root.subcommands().values()) {
            Optional<CommandSpec> found = commandTaking(sub.getCommandSpec(), name);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
