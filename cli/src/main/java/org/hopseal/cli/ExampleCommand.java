package org.hopseal.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hopseal.examples.GuideExample;
import org.hopseal.examples.GuideExamples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hopseal example [NAME [ARGS...]]}: lists the guide's examples, or runs one in this process. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = {"Runs one of the guide's examples (examples/src/main/java/org/hopseal/examples) in this process with",
                "ARGS. Without NAME, lists them, one line each: the name, what it takes and what it does."},
        footer = {"", "Examples:", "  hopseal example", "  hopseal example Ex02Worker",
                "  hopseal example Ex04Responder 127.0.0.1:4000        # then, in another terminal:",
                "  hopseal example Ex04Initiator 127.0.0.1:4000"})
final class ExampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the example: its class's simple name, in any case")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "the example's arguments, as the list shows them")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (name == null) {
            list();
            return 0;
        }
        GuideExample example = GuideExamples.named(name).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "there is no example '" + name + "'; 'hopseal example' lists them"));
        example.main().run(args.toArray(String[]::new));
        return 0;
    }

    /** One line per example: its name and arguments, then what it does, in two columns. */
    private static void list() {
        int width = GuideExamples.all().stream().mapToInt(e -> usage(e).length()).max().orElse(0);
        for (GuideExample e : GuideExamples.all()) {
            System.out.println(String.format("%-" + width + "s  %s", usage(e), e.summary()));
        }
    }

    private static String usage(GuideExample e) {
        return e.arguments().isEmpty() ? e.name() : e.name() + " " + e.arguments();
    }
}
