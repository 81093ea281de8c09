package org.hopseal.cli;

import java.util.concurrent.Callable;
import org.hopseal.examples.SecureChannelWithEntity;
import picocli.CommandLine.Command;

/** Runs the guide's main example in-process on the default in-memory vault. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the guide's secure-channel example (two entities, a mutually authenticated channel) in this process and prints the Echoer's reply.",
        footer = {"", "Example:", "  hopseal demo"})
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        SecureChannelWithEntity.main(new String[0]);
        return 0;
    }
}
