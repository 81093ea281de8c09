package org.hopseal.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The "Commands:" section of a help text: each subcommand with the whole first sentence of its description (an ellipsis ends none; picocli
 * would print the description's first line, often cut mid-sentence).
 */
final class CommandList implements IHelpSectionRenderer {
    private static final int NAME_WIDTH = 14;

    @Override
    public String render(Help help) {
        Map<String, Help> subcommands = help.subcommands();
        if (subcommands.isEmpty()) {
            return "";
        }
        int width = help.commandSpec().usageMessage().width();
        TextTable table = TextTable.forColumns(help.colorScheme(),
                new Column(NAME_WIDTH, 2, Column.Overflow.SPAN), new Column(width - NAME_WIDTH, 2, Column.Overflow.WRAP));
        for (Map.Entry<String, Help> entry : subcommands.entrySet()) {
            table.addRowValues(entry.getKey(), summary(entry.getValue().commandSpec()));
        }
        return table.toString();
    }

    /** The command's header if it has one, else the first sentence of its description. */
    static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String text = String.join(" ", header.length > 0 ? header : spec.usageMessage().description()).strip();
        for (int end = text.indexOf(". "); end >= 0; end = text.indexOf(". ", end + 1)) {
            if (end > 0 && text.charAt(end - 1) != '.') {
                return text.substring(0, end + 1);
            }
        }
        return text;
    }

    /** Shows this list in the help of {@code cl} and of all its subcommands. */
    static void install(CommandLine cl) {
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandList());
        for (CommandLine sub : cl.getSubcommands().values()) {
            install(sub);
        }
    }
}
